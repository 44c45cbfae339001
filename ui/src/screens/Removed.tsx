import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useApp, useRights } from "../app-context";
import type { RemovedRecord } from "../bindings/RemovedRecord";
import { ErrorBanner } from "../components/ErrorBanner";
import { codeText, useI18n } from "../i18n";
import { formatDateTime } from "../sync";

// Removed records (deletes are tombstones): which, by which office and when,
// and a Restore per record, disabled where this office may not write the
// table (the core would refuse it as `unauthorized`).
export function RemovedScreen() {
  const { t, lang } = useI18n();
  const { installation } = useApp();
  const guard = useRights();
  const [table, setTable] = useState("");
  const [rows, setRows] = useState<RemovedRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api.removedList(table || null).then(setRows, (e) => setError(toFailure(e).message));
  }, [table, reload]);

  const restore = async (r: RemovedRecord) => {
    setBusy(r.id);
    setError(null);
    setNotice(null);
    try {
      const back = await api.removedRestore(r.id, r.table);
      setNotice(t("removed.restored", { label: back.label || back.id }));
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section data-testid="removed">
      <h1>{t("removed.title")}</h1>
      <p class="hint">{t("removed.intro")}</p>
      <div class="filters">
        <select
          name="table"
          aria-label={t("removed.table")}
          value={table}
          onChange={(e) => setTable((e.target as HTMLSelectElement).value)}
        >
          <option value="">{t("removed.all_tables")}</option>
          {installation.tables.map((x) => (
            <option value={x.table}>{codeText(lang, "tables.", x.table)}</option>
          ))}
        </select>
      </div>
      <ErrorBanner message={error} />
      {notice && (
        <p class="notice" data-testid="removed-notice">
          {notice}
        </p>
      )}
      {rows && rows.length === 0 && (
        <p class="empty" data-testid="removed-none">
          {t("removed.none")}
        </p>
      )}
      {rows && rows.length > 0 && (
        <table class="grid rows" data-testid="removed-table">
          <thead>
            <tr>
              <th>{t("removed.col.table")}</th>
              <th>{t("removed.col.label")}</th>
              <th>{t("removed.col.removed_by")}</th>
              <th>{t("removed.col.removed_at")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const g = guard(r.table);
              return (
                <tr data-removed-id={r.id} data-table={r.table}>
                  <td>{codeText(lang, "tables.", r.table)}</td>
                  <td class="removed-label">{r.label || <span class="mono">{r.id}</span>}</td>
                  <td>{r.removed_by ? codeText(lang, "offices.", r.removed_by) : t("common.none")}</td>
                  <td>{r.removed_at ? formatDateTime(r.removed_at, lang) : t("common.none")}</td>
                  <td>
                    <div class="row-actions">
                      <button
                        type="button"
                        data-testid="removed-restore"
                        disabled={g.disabled || busy !== null}
                        title={g.title}
                        onClick={() => void restore(r)}
                      >
                        {t("removed.restore")}
                      </button>
                      {g.disabled && (
                        <small class="hint rights-hint" title={g.title}>
                          {t("rights.hq_only_short")}
                        </small>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
