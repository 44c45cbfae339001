import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { ListSheet } from "../bindings/ListSheet";
import type { TableFormat } from "../bindings/TableFormat";
import { exportFileName } from "../exchange";
import { todayIso } from "../format";
import { useI18n } from "../i18n";
import { formatSize } from "../report";
import { Modal } from "./Modal";
import { TableFormatSelect } from "./TableFormatSelect";
import { PathInput } from "./PathInput";

/** "Export this list": the rows the screen shows, with its filters, every
 * page, as XLSX or CSV, headers and coded values in the person's language. */
export function ListSheetExport(props: { sheet: ListSheet; name: string }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<TableFormat>("xlsx");
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const run = async () => {
    setError(null);
    setSaved(null);
    if (!path.trim()) {
      setError(t("exchange.need_path"));
      return;
    }
    setBusy(true);
    try {
      const s = await api.listSheet({ sheet: props.sheet, format, path: path.trim(), lang });
      setSaved(t("exchange.saved", { path: s.path, rows: Number(s.rows), size: formatSize(Number(s.bytes)) }));
    } catch (e) {
      setError(toFailure(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" data-testid="list-sheet" onClick={() => setOpen(true)}>
        {t("exchange.list_export")}
      </button>
      {open && (
        <Modal title={t("exchange.list_export")} onCancel={() => setOpen(false)} testId="list-sheet-form">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) void run();
            }}
          >
            <p class="hint">{t("exchange.list_export_hint")}</p>
            <TableFormatSelect name="list_sheet_format" value={format} onChange={setFormat} />
            <PathInput
              name="list_sheet_path"
              label={t("reports.path")}
              value={path}
              onInput={(v) => {
                setPath(v);
                setError(null);
              }}
              extensions={[format]}
              mode="save"
              suggested={exportFileName(props.name, format, todayIso())}
              error={error}
              onError={setError}
              disabled={busy}
            />
            {saved && (
              <p class="notice" data-testid="list-sheet-saved">
                {saved}
              </p>
            )}
            <div class="actions">
              <button type="button" onClick={() => setOpen(false)}>
                {t("common.close")}
              </button>
              <button type="submit" class="primary" disabled={busy} data-testid="list-sheet-run">
                {t("exchange.export_run")}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </>
  );
}
