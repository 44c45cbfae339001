import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { ListReach } from "../bindings/ListReach";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatCount } from "../format";
import { pick, useI18n } from "../i18n";

/** Who each list reached in a period (from its first day when blank, to today when blank). */
export function ListReachCard(props: { reload: number }) {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [rows, setRows] = useState<ListReach[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.listReach(from.trim() || null, to.trim() || null).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(toFailure(e).message),
    );
  }, [from, to, props.reload]);

  const date = (value: string, set: (v: string) => void, name: string, key: "mailing.from" | "mailing.to") => (
    <label class="choice">
      {t(key)}
      <input
        name={name}
        class="date"
        placeholder="YYYY-MM-DD"
        value={value}
        onChange={(e) => set((e.target as HTMLInputElement).value)}
      />
    </label>
  );
  return (
    <div data-testid="list-reach">
      <h2>{t("mailing.reach")}</h2>
      <div class="filters">
        {date(from, setFrom, "reach_from", "mailing.from")}
        {date(to, setTo, "reach_to", "mailing.to")}
      </div>
      <ErrorBanner message={error} />
      <table class="grid">
        <thead>
          <tr>
            <th>{t("mailing.col.name")}</th>
            <th class="num">{t("mailing.col.contacts")}</th>
            <th class="num">{t("mailing.col.organisations")}</th>
            <th class="num">{t("mailing.col.member_ngos")}</th>
            <th class="num">{t("mailing.col.companies")}</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((r) => (
            <tr data-list-id={r.list_id}>
              <td>{pick(lang, r.name_ja, r.name_en)}</td>
              <td class="num">{formatCount(r.contacts, lang)}</td>
              <td class="num">{formatCount(r.organisations, lang)}</td>
              <td class="num">{formatCount(r.member_ngos, lang)}</td>
              <td class="num">{formatCount(r.companies, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
