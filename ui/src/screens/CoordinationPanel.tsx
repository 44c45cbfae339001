import { useEffect, useState } from "preact/hooks";
import { listen } from "@tauri-apps/api/event";
import { type AutoSync, SYNC_STATE_EVENT, api, toFailure } from "../api";
import type { CoordinationStats } from "../bindings/CoordinationStats";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatCount } from "../format";
import { type Key, useI18n } from "../i18n";

/** The coordination figures over every meeting up to today, computed by the
 * core from the records each time the dashboard opens or a sync ends. */
export function CoordinationPanel() {
  const { t, lang } = useI18n();
  const [stats, setStats] = useState<CoordinationStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const read = () => api.coordinationStats({}).then(setStats, (e) => setError(toFailure(e).message));
    read();
    const stop = listen<AutoSync>(SYNC_STATE_EVENT, (e) => {
      if (!e.payload.running) read();
    });
    return () => {
      stop.then((f) => f());
    };
  }, []);
  if (error) return <ErrorBanner message={error} />;
  if (!stats) return null;
  const none = t("common.none");
  const tile = (id: string, key: Key, value: string, note?: string) => (
    <div class="tile">
      <span class="tile-label">{t(key)}</span>
      <span class="tile-value" data-testid={id}>
        {value}
      </span>
      {note && <span class="tile-note">{note}</span>}
    </div>
  );
  return (
    <div data-testid="coordination">
      <h2>{t("coordination.title")}</h2>
      <div class="tiles compact">
        {tile("coord-meetings", "coordination.meetings", formatCount(stats.meetings, lang))}
        {tile(
          "coord-mean",
          "coordination.mean",
          stats.organisations_mean ?? none,
          t("coordination.over", { n: formatCount(stats.meetings_with_attendance, lang) }),
        )}
        {tile("coord-median", "coordination.median", stats.organisations_median ?? none)}
        {tile(
          "coord-members",
          "coordination.members_reached",
          formatCount(stats.member_ngos_reached, lang),
          t("coordination.others_reached", { n: formatCount(stats.other_organisations_reached, lang) }),
        )}
        {tile("coord-overdue", "coordination.overdue", formatCount(stats.overdue_follow_ups.length, lang))}
      </div>
    </div>
  );
}
