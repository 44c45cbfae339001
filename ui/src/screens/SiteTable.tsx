import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Site } from "../bindings/Site";
import { Confirm } from "../components/Confirm";
import { formatDate } from "../format";
import { pick, useI18n } from "../i18n";

/** Rows of sites with their actions; `onChanged` reloads the page of rows. */
export function SiteTable(props: {
  rows: Site[];
  showMember?: boolean;
  onEdit: (s: Site) => void;
  onChanged: () => void;
  onError: (m: string) => void;
}) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights();
  const g = guard("sites");
  const sep = lang === "ja" ? "、" : ", ";
  const [asking, setAsking] = useState<{ site: Site; action: "close" | "remove" } | null>(null);
  const close = async (s: Site) => {
    setAsking(null);
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    try {
      await api.siteEdit(s.id, { status: "closed", closed_on: iso });
      props.onChanged();
    } catch (e) {
      props.onError(toFailure(e).message);
    }
  };
  const remove = async (s: Site) => {
    setAsking(null);
    try {
      await api.siteRemove(s.id);
      props.onChanged();
    } catch (e) {
      props.onError(toFailure(e).message);
    }
  };
  return (
    <>
      <table class="grid rows" data-testid="site-table">
        <thead>
          <tr>
            <th>{t("sites.col.name")}</th>
            {props.showMember && <th>{t("sites.col.member")}</th>}
            <th>{t("sites.col.prefecture")}</th>
            <th>{t("sites.col.municipality")}</th>
            <th>{t("sites.col.sectors")}</th>
            <th>{t("sites.col.status")}</th>
            <th>{t("sites.col.opened_on")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((s) => (
            <tr data-site-id={s.id}>
              <td>{pick(lang, s.name, s.name_en)}</td>
              {props.showMember && <td>{pick(lang, s.member_name_ja, s.member_name_en)}</td>}
              <td>{label(choices.prefectures, s.prefecture_code, lang)}</td>
              <td>{s.municipality}</td>
              <td>{s.sectors.map((c) => label(choices.sectors, c, lang)).join(sep)}</td>
              <td>
                <span class={`status status-${s.status}`}>{label(choices.site_statuses, s.status, lang)}</span>
              </td>
              <td>{formatDate(s.opened_on, lang)}</td>
              <td class="row-actions">
                <button type="button" {...g} onClick={() => props.onEdit(s)}>
                  {t("common.edit")}
                </button>
                {s.status !== "closed" && (
                  <button type="button" {...g} onClick={() => setAsking({ site: s, action: "close" })}>
                    {t("sites.close_site")}
                  </button>
                )}
                <button type="button" class="danger" {...g} onClick={() => setAsking({ site: s, action: "remove" })}>
                  {t("common.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {asking && (
        <Confirm
          message={t(asking.action === "close" ? "sites.close_confirm" : "sites.remove_confirm", {
            name: pick(lang, asking.site.name, asking.site.name_en),
          })}
          confirmLabel={t(asking.action === "close" ? "sites.close_site" : "common.remove")}
          danger={asking.action === "remove"}
          onConfirm={() => void (asking.action === "close" ? close(asking.site) : remove(asking.site))}
          onCancel={() => setAsking(null)}
        />
      )}
    </>
  );
}
