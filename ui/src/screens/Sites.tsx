import { useState } from "preact/hooks";
import { api, latestOnly } from "../api";
import { useApp, useRights } from "../app-context";
import type { Site } from "../bindings/Site";
import { ErrorBanner } from "../components/ErrorBanner";
import { ListSheetExport } from "../components/ListSheetExport";
import { Pager } from "../components/Pager";
import { formatCount } from "../format";
import { pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { markInput } from "../timing";
import { SiteForm } from "./SiteForm";
import { SiteTable } from "./SiteTable";

const LIMIT = 50;
// One tab per prefecture of the response, plus all and any other prefecture.
const TABS = ["", "03", "04", "07", "other"];
const listSites = latestOnly(api.siteList);

export function SitesScreen() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights();
  const [tab, setTab] = useState("");
  const [otherPref, setOtherPref] = useState("13");
  const [sector, setSector] = useState("");
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [form, setForm] = useState<Site | "new" | null>(null);
  const [reload, setReload] = useState(0);
  const prefecture = tab === "other" ? otherPref : tab;

  const { page, error, setError } = usePagedList(
    "sites",
    () => listSites({ prefecture, sector, status, search, offset, limit: LIMIT }),
    [prefecture, sector, status, search, offset, reload],
  );

  const reset = () => setOffset(0);
  const tabLabel = (code: string) =>
    code === ""
      ? t("sites.all")
      : code === "other"
        ? t("sites.other")
        : pick(
            lang,
            choices.prefectures.find((p) => p.code === code)?.ja,
            choices.prefectures.find((p) => p.code === code)?.en,
          );

  return (
    <section data-testid="sites">
      <div class="head">
        <h1>{t("sites.title")}</h1>
        <div class="head-actions">
          <button
            type="button"
            class="primary"
            {...guard("sites")}
            onClick={() => setForm("new")}
            data-testid="site-add"
          >
            {t("sites.add")}
          </button>
          <ListSheetExport sheet={{ list: "sites", query: { prefecture, sector, status, search } }} name="sites" />
        </div>
      </div>
      <div class="tabs" role="tablist">
        {TABS.map((code) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === code}
            class={"tab" + (tab === code ? " active" : "")}
            data-tab={code || "all"}
            onClick={() => {
              setTab(code);
              reset();
            }}
          >
            {tabLabel(code)}
          </button>
        ))}
      </div>
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("sites.search")}
          aria-label={t("sites.search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
            reset();
          }}
        />
        {tab === "other" && (
          <select
            name="other_prefecture"
            aria-label={t("sites.other")}
            value={otherPref}
            onChange={(e) => {
              setOtherPref((e.target as HTMLSelectElement).value);
              reset();
            }}
          >
            {choices.prefectures
              .filter((p) => !["03", "04", "07"].includes(p.code))
              .map((p) => (
                <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
              ))}
          </select>
        )}
        <select
          name="sector"
          aria-label={t("sites.sector")}
          value={sector}
          onChange={(e) => {
            setSector((e.target as HTMLSelectElement).value);
            reset();
          }}
        >
          <option value="">{t("sites.all_sectors")}</option>
          {choices.sectors.map((c) => (
            <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
          ))}
        </select>
        <select
          name="status"
          aria-label={t("sites.status")}
          value={status}
          onChange={(e) => {
            setStatus((e.target as HTMLSelectElement).value);
            reset();
          }}
        >
          <option value="">{t("sites.all_statuses")}</option>
          {choices.site_statuses.map((c) => (
            <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
          ))}
        </select>
        {page && <span class="count">{t("sites.count", { n: formatCount(Number(page.total), lang) })}</span>}
      </div>
      <ErrorBanner message={error} />
      {page && (
        <>
          <SiteTable
            rows={page.rows}
            showMember
            onEdit={(s) => setForm(s)}
            onChanged={() => setReload(reload + 1)}
            onError={setError}
          />
          {page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
          <Pager
            total={Number(page.total)}
            offset={Number(page.offset)}
            limit={Number(page.limit)}
            onOffset={setOffset}
          />
        </>
      )}
      {form && (
        <SiteForm
          site={form === "new" ? null : form}
          member={null}
          prefecture={tab === "other" ? otherPref : tab}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
    </section>
  );
}
