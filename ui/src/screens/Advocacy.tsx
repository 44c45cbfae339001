import { useEffect, useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { NetworkMembership } from "../bindings/NetworkMembership";
import type { Recommendation } from "../bindings/Recommendation";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatDate } from "../format";
import { pick, useI18n } from "../i18n";
import { markInput } from "../timing";
import { NetworkForm } from "./NetworkForm";
import { RecommendationForm } from "./RecommendationForm";
import { RowActions } from "../components/RowActions";

const listRecommendations = latestOnly(api.recommendationList);

/** Policy advocacy: recommendations to government and the networks JANIC sits in. */
export function AdvocacyScreen() {
  const { t } = useI18n();
  return (
    <section data-testid="advocacy">
      <h1>{t("advocacy.title")}</h1>
      <Recommendations />
      <Networks />
    </section>
  );
}

function Recommendations() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("recommendations");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [rows, setRows] = useState<Recommendation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<Recommendation | "new" | null>(null);
  const [removing, setRemoving] = useState<Recommendation | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    listRecommendations(search || null, status || null).then(
      (r) => {
        if (!r) return;
        setRows(r);
        setError(null);
      },
      (e) => setError(toFailure(e).message),
    );
  }, [search, status, reload]);

  const remove = async (r: Recommendation) => {
    setRemoving(null);
    try {
      await api.recommendationRemove(r.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const title = (r: Recommendation) => pick(lang, r.title_ja, r.title_en);

  return (
    <div data-testid="recommendations">
      <div class="head">
        <h2>{t("advocacy.recommendations")}</h2>
        <button
          type="button"
          class="primary"
          data-testid="recommendation-add"
          {...guard}
          onClick={() => setForm("new")}
        >
          {t("advocacy.rec_add")}
        </button>
      </div>
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("advocacy.search")}
          aria-label={t("advocacy.search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
          }}
        />
        <select
          name="status"
          aria-label={t("advocacy.field.status")}
          value={status}
          onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}
        >
          <option value="">{t("advocacy.all_statuses")}</option>
          {choices.recommendation_statuses.map((c) => (
            <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
          ))}
        </select>
      </div>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="recommendation-table">
        <thead>
          <tr>
            <th>{t("advocacy.field.title")}</th>
            <th>{t("advocacy.field.addressee")}</th>
            <th>{t("advocacy.field.status")}</th>
            <th>{t("advocacy.field.drafted_on")}</th>
            <th>{t("advocacy.field.submitted_on")}</th>
            <th>{t("advocacy.field.answered_on")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.map((r) => (
            <tr data-recommendation-id={r.id}>
              <td class="topic">{title(r)}</td>
              <td>
                {r.addressee}
                {r.addressee_kind && (
                  <small class="reading">{label(choices.addressee_kinds, r.addressee_kind, lang)}</small>
                )}
              </td>
              <td>
                <span class={`status status-${r.status}`}>
                  {label(choices.recommendation_statuses, r.status, lang)}
                </span>
              </td>
              <td class="nowrap">{formatDate(r.drafted_on, lang)}</td>
              <td class="nowrap">{formatDate(r.submitted_on, lang)}</td>
              <td class="nowrap">{formatDate(r.answered_on, lang)}</td>
              <RowActions guard={guard} onEdit={() => setForm(r)} onRemove={() => setRemoving(r)} />
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {form && (
        <RecommendationForm
          recommendation={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("advocacy.remove_confirm", { name: title(removing) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

function Networks() {
  const { t, lang } = useI18n();
  const guard = useRights()("network_memberships");
  const [rows, setRows] = useState<NetworkMembership[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<NetworkMembership | "new" | null>(null);
  const [removing, setRemoving] = useState<NetworkMembership | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api.networkList().then(setRows, (e) => setError(toFailure(e).message));
  }, [reload]);

  const remove = async (n: NetworkMembership) => {
    setRemoving(null);
    try {
      await api.networkRemove(n.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const name = (n: NetworkMembership) => pick(lang, n.network_ja, n.network_en);

  return (
    <div data-testid="networks">
      <div class="head">
        <h2>{t("advocacy.networks")}</h2>
        <button type="button" class="primary" data-testid="network-add" {...guard} onClick={() => setForm("new")}>
          {t("advocacy.net_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="network-table">
        <thead>
          <tr>
            <th>{t("advocacy.net_field.network")}</th>
            <th>{t("advocacy.net_field.role")}</th>
            <th>{t("advocacy.net_field.started_on")}</th>
            <th>{t("advocacy.net_field.ended_on")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.map((n) => (
            <tr data-network-id={n.id}>
              <td>{name(n)}</td>
              <td>{pick(lang, n.role_ja, n.role_en)}</td>
              <td class="nowrap">{formatDate(n.started_on, lang)}</td>
              <td class="nowrap">{formatDate(n.ended_on, lang)}</td>
              <RowActions guard={guard} onEdit={() => setForm(n)} onRemove={() => setRemoving(n)} />
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {form && (
        <NetworkForm
          network={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("advocacy.remove_confirm", { name: name(removing) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}
