import { useEffect, useState } from "preact/hooks";
import { listen } from "@tauri-apps/api/event";
import { type AutoSync, SYNC_STATE_EVENT, api, toFailure } from "../api";
import type { Dashboard } from "../bindings/Dashboard";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatCount, formatDate, formatMoney, formatRange } from "../format";
import { pick, useI18n } from "../i18n";
import { CoordinationPanel } from "./CoordinationPanel";

let reportedReady = false;

/** Tells the shell, once per run, that the first dashboard is painted and
 * answers input: the cold-start figure is measured from process start to here. */
function reportReady() {
  if (reportedReady) return;
  reportedReady = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      api.uiReady("dashboard").then(
        (ms) => (document.body.dataset.readyMs = String(ms)),
        () => undefined,
      );
    }, 0),
  );
}

export function DashboardScreen() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .dashboard()
      .then((d) => {
        setData(d);
        reportReady();
      })
      .catch((e) => setError(toFailure(e).message));
    // Each finished background sync changes "not yet synced" (and may bring
    // other offices' records): read the figures again.
    const stop = listen<AutoSync>(SYNC_STATE_EVENT, (e) => {
      if (!e.payload.running) api.dashboard().then(setData, () => undefined);
    });
    return () => {
      stop.then((f) => f());
    };
  }, []);
  if (error) return <ErrorBanner message={error} />;
  if (!data) return <p class="loading">{t("common.loading")}</p>;
  return (
    <section data-testid="dashboard">
      <h1>{t("dashboard.title")}</h1>
      <div class="tiles">
        <div class="tile">
          <span class="tile-label">{t("dashboard.members")}</span>
          <span class="tile-value" data-testid="dash-members">
            {formatCount(Number(data.members), lang)}
          </span>
        </div>
        <div class="tile">
          <span class="tile-label">{t("dashboard.active_sites")}</span>
          <span class="tile-value" data-testid="dash-active-sites">
            {formatCount(Number(data.active_sites), lang)}
          </span>
          <span class="tile-note">
            {t("dashboard.sites")}: {formatCount(Number(data.sites), lang)}
          </span>
        </div>
        <div class="tile">
          <span class="tile-label">{t("dashboard.unsynced")}</span>
          <span class="tile-value" data-testid="dash-unsynced">
            {formatCount(Number(data.unsynced_changes), lang)}
          </span>
          <span class="tile-note">{t("dashboard.unsynced_note")}</span>
        </div>
      </div>

      <CoordinationPanel />

      <h2>{t("grantdesk.dash_due")}</h2>
      {data.reports_due.length === 0 ? (
        <p class="empty" data-testid="dash-due-none">
          {t("grantdesk.dash_due_none")}
        </p>
      ) : (
        <table class="grid" data-testid="dash-due">
          <tbody>
            {data.reports_due.map((r) => (
              <tr data-due-id={r.id} class={r.days_left < 0 ? "over" : undefined}>
                <td class="nowrap">{formatDate(r.due_on, lang)}</td>
                <td>{pick(lang, r.label_ja, r.label_en)}</td>
                <td>{pick(lang, r.phase_title_ja, r.phase_title_en)}</td>
                <td class="num">
                  {r.days_left < 0
                    ? t("grantdesk.overdue_days", { n: -r.days_left })
                    : t("grantdesk.in_days", { n: r.days_left })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("grantdesk.dash_tranches")}</h2>
      {data.tranches_pending.length === 0 ? (
        <p class="empty">{t("grantdesk.dash_tranches_none")}</p>
      ) : (
        <table class="grid" data-testid="dash-tranches">
          <tbody>
            {data.tranches_pending.map((x) => (
              <tr data-tranche-id={x.id} class={x.overdue ? "over" : undefined}>
                <td class="nowrap">{formatDate(x.expected_on, lang)}</td>
                <td class="num">{formatMoney(x.amount, lang)}</td>
                <td>{pick(lang, x.phase_title_ja, x.phase_title_en)}</td>
                <td>{x.overdue ? t("grantdesk.tranche_overdue") : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("dashboard.by_prefecture")}</h2>
      <div class="tiles">
        {data.active_sites_by_prefecture.map((p) => (
          <div class="tile small" data-pref={p.code}>
            <span class="tile-label">{pick(lang, p.name_ja, p.name_en)}</span>
            <span class="tile-value" data-testid={`dash-pref-${p.code}`}>
              {formatCount(Number(p.count), lang)}
            </span>
          </div>
        ))}
      </div>

      <h2>{t("dashboard.phases")}</h2>
      <table class="grid">
        <thead>
          <tr>
            <th>{t("dashboard.phase")}</th>
            <th>{t("dashboard.period")}</th>
            <th class="num">{t("dashboard.amount")}</th>
            <th class="num">{t("dashboard.spent")}</th>
            <th class="num">{t("dashboard.unspent")}</th>
          </tr>
        </thead>
        <tbody>
          {data.phases.map((p) => (
            <tr>
              <td>{pick(lang, p.title_ja, p.title_en)}</td>
              <td>{formatRange(p.start, p.end, lang)}</td>
              <td class="num">{formatMoney(p.amount, lang)}</td>
              <td class="num">{formatMoney(p.spent, lang)}</td>
              <td class="num">{formatMoney(p.unspent, lang)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={2}>{t("dashboard.total_granted")}</th>
            <th class="num" colSpan={3} data-testid="dash-total">
              {data.total_granted.map((m) => formatMoney(m, lang)).join(" / ")}
            </th>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
