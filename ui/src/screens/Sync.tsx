import { listen } from "@tauri-apps/api/event";
import { useEffect, useState } from "preact/hooks";
import { type AutoSync, SYNC_PROGRESS_EVENT, SYNC_STATE_EVENT, api, toFailure } from "../api";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { SyncStatus } from "../bindings/SyncStatus";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatCount } from "../format";
import { useI18n } from "../i18n";
import { autoSyncLine, cellText, formatDateTime, peerLabel, progressPercent, progressText } from "../sync";

export function SyncScreen() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [auto, setAuto] = useState<AutoSync | null>(null);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [hubUrl, setHubUrl] = useState("");
  const [hubError, setHubError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = () =>
    api.syncStatus().then(
      (s) => setStatus(s),
      (e) => setError(toFailure(e).message),
    );

  useEffect(() => {
    refresh();
    api.syncState().then(
      (s) => {
        setAuto(s);
        setHubUrl(s.hub ?? "");
      },
      (e) => setError(toFailure(e).message),
    );
    const stops = [
      listen<AutoSync>(SYNC_STATE_EVENT, (e) => {
        setAuto(e.payload);
        if (!e.payload.running) {
          setProgress(null);
          refresh();
        }
      }),
      listen<SyncProgress>(SYNC_PROGRESS_EVENT, (e) => setProgress(e.payload)),
    ];
    return () => stops.forEach((p) => p.then((stop) => stop()));
  }, []);

  const saveHub = async (e: Event) => {
    e.preventDefault();
    setHubError(null);
    try {
      const s = await api.syncHubSet(hubUrl);
      setAuto(s);
      setHubUrl(s.hub ?? "");
    } catch (err) {
      setHubError(toFailure(err).message);
    }
  };

  const syncNow = () => api.syncNow().then(setAuto, (e) => setError(toFailure(e).message));

  const restore = async (o: SyncStatus["overwritten"][number]) => {
    setNotice(null);
    try {
      await api.syncRestore({
        table: o.table,
        rowId: o.row_id,
        column: o.column,
        hlc: Number(o.lost_hlc),
        origin: o.lost_origin,
      });
      setNotice(t("sync.restored"));
      await refresh();
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  const pct = progress ? progressPercent(progress) : null;
  const report = auto?.last_report;
  return (
    <section data-testid="sync">
      <h1>{t("sync.title")}</h1>
      <p class="hint">{t("sync.intro")}</p>
      <ErrorBanner message={error} />
      {notice && (
        <p class="notice" data-testid="sync-notice">
          {notice}
        </p>
      )}

      <form class="card sync-hub" onSubmit={saveHub}>
        <label class={"field" + (hubError ? " has-error" : "")}>
          <span class="label">{t("sync.hub_url")}</span>
          <input
            name="hub_url"
            type="url"
            value={hubUrl}
            placeholder="https://"
            onInput={(e) => setHubUrl((e.target as HTMLInputElement).value)}
          />
          {hubError && (
            <small class="field-error" data-testid="hub-error">
              {hubError}
            </small>
          )}
          <small class="hint">{t("sync.hub_hint")}</small>
        </label>
        <div class="actions">
          <button type="submit" data-testid="hub-save">
            {t("sync.save_hub")}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="sync-now"
            disabled={!auto?.hub || auto.running}
            onClick={syncNow}
          >
            {t("sync.now")}
          </button>
        </div>
        <p data-testid="sync-auto" class={"sync-auto" + (auto?.last_error ? " failing" : "")}>
          {auto ? autoSyncLine(auto, lang) : t("common.loading")}
        </p>
        {auto?.running && (
          <div class="sync-progress" data-testid="sync-progress">
            <progress max={100} value={pct ?? undefined} />
            <span>{progress ? progressText(progress, lang) : t("sync.auto.running")}</span>
          </div>
        )}
        {report && (
          <p class="hint" data-testid="sync-report">
            {t("sync.report", {
              pushed: formatCount(Number(report.pushed), lang),
              pulled: formatCount(Number(report.pulled), lang),
              new: formatCount(Number(report.new), lang),
            })}
          </p>
        )}
      </form>

      {status && (
        <>
          <div class="tiles">
            <div class="tile">
              <span class="tile-label">{t("sync.unsent")}</span>
              <span class="tile-value" data-testid="sync-unsent">
                {formatCount(Number(status.unsent_changes), lang)}
              </span>
              <span class="tile-note">{status.enrolled ? t("sync.enrolled") : t("sync.not_enrolled")}</span>
            </div>
          </div>

          <h2>{t("sync.peers")}</h2>
          {status.peers.length === 0 ? (
            <p class="empty">{t("sync.none")}</p>
          ) : (
            <table class="grid" data-testid="sync-peers">
              <thead>
                <tr>
                  <th>{t("sync.peer")}</th>
                  <th>{t("sync.last_sync")}</th>
                  <th class="num">{t("sync.sent_upto")}</th>
                  <th class="num">{t("sync.received_upto")}</th>
                  <th class="num">{t("sync.last_sent")}</th>
                  <th class="num">{t("sync.last_received")}</th>
                </tr>
              </thead>
              <tbody>
                {status.peers.map((p) => (
                  <tr data-peer={p.peer}>
                    <td>{peerLabel(p.peer, lang)}</td>
                    <td>{p.last_sync_at == null ? t("sync.never") : formatDateTime(Number(p.last_sync_at), lang)}</td>
                    <td class="num">{formatCount(Number(p.sent_upto), lang)}</td>
                    <td class="num">{formatCount(Number(p.received_upto), lang)}</td>
                    <td class="num">{p.last_sent == null ? "—" : formatCount(Number(p.last_sent), lang)}</td>
                    <td class="num">{p.last_received == null ? "—" : formatCount(Number(p.last_received), lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{t("sync.quarantined")}</h2>
          <p class="hint">{t("sync.quarantined_hint")}</p>
          {status.quarantined.length === 0 ? (
            <p class="empty" data-testid="sync-quarantined-none">
              {t("sync.none")}
            </p>
          ) : (
            <table class="grid" data-testid="sync-quarantined">
              <thead>
                <tr>
                  <th>{t("sync.q.origin")}</th>
                  <th>{t("sync.q.cell")}</th>
                  <th class="num">{t("sync.q.ahead")}</th>
                  <th>{t("sync.q.via")}</th>
                </tr>
              </thead>
              <tbody>
                {status.quarantined.map((q) => (
                  <tr>
                    <td>{peerLabel(`office:${q.origin}`, lang)}</td>
                    <td class="mono">
                      {q.table}.{q.column} {q.row_id}
                    </td>
                    <td class="num">{t("sync.q.ahead_s", { s: formatCount(Number(q.ahead_secs), lang) })}</td>
                    <td>{q.via}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {Number(status.parked_changes) > 0 && (
            <p class="hint">{t("sync.parked", { n: formatCount(Number(status.parked_changes), lang) })}</p>
          )}

          <h2>{t("sync.refused")}</h2>
          <p class="hint">{t("sync.refused_hint")}</p>
          {status.refused.length === 0 ? (
            <p class="empty" data-testid="sync-refused-none">
              {t("sync.none")}
            </p>
          ) : (
            <table class="grid" data-testid="sync-refused">
              <thead>
                <tr>
                  <th>{t("sync.q.origin")}</th>
                  <th>{t("sync.r.record")}</th>
                  <th>{t("sync.r.kind")}</th>
                  <th>{t("sync.r.reason")}</th>
                  <th>{t("sync.q.via")}</th>
                </tr>
              </thead>
              <tbody>
                {status.refused.map((r) => (
                  <tr>
                    <td>{peerLabel(`office:${r.origin}`, lang)}</td>
                    <td class="mono">
                      {r.table} {r.row_id} ({r.columns.join(", ")})
                    </td>
                    <td>{t(r.kind === "rights" ? "sync.r.rights" : "sync.r.invalid")}</td>
                    <td>{r.reason}</td>
                    <td>{r.via}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{t("sync.held")}</h2>
          <p class="hint">{t("sync.held_hint")}</p>
          {status.held.length === 0 ? (
            <p class="empty" data-testid="sync-held-none">
              {t("sync.none")}
            </p>
          ) : (
            <table class="grid" data-testid="sync-held">
              <thead>
                <tr>
                  <th>{t("sync.h.batch")}</th>
                  <th>{t("sync.q.origin")}</th>
                  <th>{t("sync.h.tables")}</th>
                  <th class="num">{t("sync.h.deletes")}</th>
                  <th>{t("sync.q.via")}</th>
                </tr>
              </thead>
              <tbody>
                {status.held.map((h) => (
                  <tr>
                    <td class="num">{Number(h.batch)}</td>
                    <td>{h.origins.map((o) => peerLabel(`office:${o}`, lang)).join(", ")}</td>
                    <td class="mono">{h.tables.join(", ")}</td>
                    <td class="num">{formatCount(Number(h.deletes), lang)}</td>
                    <td>{h.via}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{t("sync.overwritten")}</h2>
          <p class="hint">{t("sync.overwritten_hint")}</p>
          {status.overwritten.length === 0 ? (
            <p class="empty" data-testid="sync-overwritten-none">
              {t("sync.none")}
            </p>
          ) : (
            <table class="grid" data-testid="sync-overwritten">
              <thead>
                <tr>
                  <th>{t("sync.o.cell")}</th>
                  <th>{t("sync.o.lost")}</th>
                  <th>{t("sync.o.lost_origin")}</th>
                  <th>{t("sync.o.current")}</th>
                  <th>{t("sync.o.current_origin")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {status.overwritten.map((o) => (
                  <tr>
                    <td class="mono">
                      {o.table}.{o.column} {o.row_id}
                    </td>
                    <td>{cellText(o.lost_value)}</td>
                    <td>{peerLabel(`office:${o.lost_origin}`, lang)}</td>
                    <td>{cellText(o.current_value)}</td>
                    <td>{peerLabel(`office:${o.current_origin}`, lang)}</td>
                    <td>
                      <button type="button" data-testid="sync-restore" onClick={() => restore(o)}>
                        {t("sync.restore")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
