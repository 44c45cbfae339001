import { useState } from "preact/hooks";
import { api } from "../api";
import type { ListSheet } from "../bindings/ListSheet";
import type { TableFormat } from "../bindings/TableFormat";
import { exportFileName } from "../exchange";
import { todayIso } from "../format";
import { useI18n } from "../i18n";
import { ExportForm } from "./ExportForm";
import { Modal } from "./Modal";
import { TableFormatSelect } from "./TableFormatSelect";

/** "Export this list": the rows the screen shows, with its filters, every
 * page, as XLSX or CSV, headers and coded values in the person's language. */
export function ListSheetExport(props: { sheet: ListSheet; name: string }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<TableFormat>("xlsx");
  return (
    <>
      <button type="button" data-testid="list-sheet" onClick={() => setOpen(true)}>
        {t("exchange.list_export")}
      </button>
      {open && (
        <Modal title={t("exchange.list_export")} onCancel={() => setOpen(false)} testId="list-sheet-form">
          <ExportForm
            id="list"
            plain
            title=""
            hint={t("exchange.list_export_hint")}
            ext={format}
            suggested={exportFileName(props.name, format, todayIso())}
            saved="exchange.saved"
            run={(path) => api.listSheet({ sheet: props.sheet, format, path, lang })}
          >
            <TableFormatSelect name="list_sheet_format" value={format} onChange={setFormat} />
          </ExportForm>
          <div class="actions">
            <button type="button" onClick={() => setOpen(false)}>
              {t("common.close")}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
