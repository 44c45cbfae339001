import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { BackupFile } from "../bindings/BackupFile";
import type { RestorePlan } from "../bindings/RestorePlan";
import { ErrorBanner } from "../components/ErrorBanner";
import { Modal } from "../components/Modal";
import { PathInput } from "../components/PathInput";
import { exportFileName } from "../exchange";
import { formatCount, todayIso } from "../format";
import { useI18n } from "../i18n";
import { formatSize } from "../report";

/** Changes listed one by one in the restore dialog; the count says the rest. */
const LISTED = 20;

/** A backup taken while the app runs, the automatic daily and weekly ones,
 * and restoring any of them: checked first, and refused over changes no
 * office has received unless the person agrees to discard them, listed. */
export function BackupCard() {
  const { t, lang } = useI18n();
  const [path, setPath] = useState("");
  const [restorePath, setRestorePath] = useState("");
  const [list, setList] = useState<BackupFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [plan, setPlan] = useState<RestorePlan | null>(null);

  const reload = () => api.backupList().then(setList, (e) => setError(toFailure(e).message));
  useEffect(() => void reload(), []);

  const act = async (what: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      await what();
    } catch (e) {
      setError(toFailure(e).message);
    } finally {
      setBusy(false);
    }
  };

  const backUp = () =>
    act(async () => {
      if (!path.trim()) throw new Error(t("exchange.need_path"));
      const saved = await api.backupSave(path.trim());
      setNotice(t("backup.saved", { path: saved.path, size: formatSize(Number(saved.bytes)) }));
    });
  const check = (file: string) =>
    act(async () => {
      if (!file.trim()) throw new Error(t("exchange.need_file"));
      setPlan(await api.restoreCheck(file.trim()));
    });
  const restore = (force: boolean) =>
    act(async () => {
      if (!plan) return;
      const done = await api.restore(plan.path, force);
      setPlan(null);
      setNotice(t("backup.restored", { path: done.path, discarded: formatCount(Number(done.discarded_total), lang) }));
      // Every screen reads the database when it opens, so the others show the restored data.
      await reload();
    });

  const lost = plan ? Number(plan.lost_total) : 0;
  return (
    <fieldset class="card" data-testid="backup">
      <legend>{t("backup.title")}</legend>
      <ErrorBanner message={error} />
      <p class="hint">{t("backup.hint")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void backUp();
        }}
      >
        <PathInput
          name="backup_path"
          label={t("backup.to")}
          value={path}
          onInput={setPath}
          extensions={["sqlite3"]}
          mode="save"
          suggested={exportFileName("backup", "sqlite3", todayIso())}
          onError={setError}
          disabled={busy}
        />
        <button type="submit" data-testid="backup-run" disabled={busy}>
          {t("backup.run")}
        </button>
      </form>
      {notice && (
        <p class="notice" data-testid="backup-notice">
          {notice}
        </p>
      )}
      <h3>{t("backup.automatic")}</h3>
      {list.length === 0 ? (
        <p class="hint">{t("backup.none")}</p>
      ) : (
        <table class="grid" data-testid="backup-list">
          <thead>
            <tr>
              <th>{t("backup.taken")}</th>
              <th>{t("backup.kind")}</th>
              <th>{t("backup.size")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr>
                <td class="mono">{b.taken_at}</td>
                <td>{t(`backup.kind_${b.kind}`)}</td>
                <td>{formatSize(Number(b.bytes))}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void check(b.path)}>
                    {t("backup.restore")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t("backup.restore_file")}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void check(restorePath);
        }}
      >
        <PathInput
          name="restore_path"
          label={t("exchange.file")}
          value={restorePath}
          onInput={setRestorePath}
          extensions={["sqlite3"]}
          mode="open"
          onError={setError}
          disabled={busy}
        />
        <button type="submit" data-testid="restore-check" disabled={busy}>
          {t("backup.restore")}
        </button>
      </form>
      {plan && (
        <Modal title={t("backup.restore")} onCancel={() => setPlan(null)} testId="restore-plan">
          <p>{t("backup.plan", { path: plan.path, office: plan.office, schema: Number(plan.schema_version) })}</p>
          {lost === 0 ? (
            <p data-testid="restore-safe">{t("backup.nothing_lost")}</p>
          ) : (
            <>
              <p class="danger" data-testid="restore-lost">
                {t("backup.lost", { n: formatCount(lost, lang) })}
              </p>
              <ul class="lost-changes">
                {plan.lost.slice(0, LISTED).map((c) => (
                  <li class="mono">
                    {c.table} {c.row_id} ({c.columns.join(", ")}) {c.stamp}
                  </li>
                ))}
              </ul>
              {lost > LISTED && <p class="hint">{t("backup.lost_more", { n: formatCount(lost - LISTED, lang) })}</p>}
            </>
          )}
          <div class="actions">
            <button type="button" onClick={() => setPlan(null)} data-testid="restore-cancel">
              {t("common.cancel")}
            </button>
            <button
              type="button"
              class={lost === 0 ? "primary" : "primary danger-fill"}
              disabled={busy}
              onClick={() => void restore(lost > 0)}
              data-testid="restore-ok"
            >
              {lost === 0 ? t("backup.restore") : t("backup.restore_discard", { n: formatCount(lost, lang) })}
            </button>
          </div>
        </Modal>
      )}
    </fieldset>
  );
}
