import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { TableFormat } from "../bindings/TableFormat";
import { ExportForm } from "../components/ExportForm";
import { Field } from "../components/Field";
import { TableFormatSelect } from "../components/TableFormatSelect";
import { exportFileName } from "../exchange";
import { todayIso } from "../format";
import { codeText, useI18n } from "../i18n";

/** Any synced table as CSV (with the byte order mark Excel needs) or XLSX,
 * the 3W with HXL hashtags, the grants as IATI 2.03, and the JSON dump. */
export function ExportCards() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const [table, setTable] = useState("members");
  const [format, setFormat] = useState<TableFormat>("xlsx");
  const [periodStart, setPeriodStart] = useState("");
  const [periodEnd, setPeriodEnd] = useState("");
  const [emails, setEmails] = useState(false);
  const [orgRef, setOrgRef] = useState("");
  const today = todayIso();

  return (
    <section class="exchange-export">
      <h2>{t("exchange.export")}</h2>
      <ExportForm
        id="table"
        title={t("exchange.table_title")}
        hint={t("exchange.table_hint")}
        ext={format}
        suggested={exportFileName(table, format, today)}
        saved="exchange.saved"
        run={(path) => api.exportTable({ table, format, path })}
      >
        <div class="form-grid">
          <Field label={t("exchange.table")}>
            <select name="export_table" value={table} onChange={(e) => setTable((e.target as HTMLSelectElement).value)}>
              {choices.tables.map((x) => (
                <option value={x}>{codeText(lang, "tables.", x)}</option>
              ))}
            </select>
          </Field>
          <TableFormatSelect name="export_format" value={format} onChange={setFormat} />
        </div>
      </ExportForm>
      <ExportForm
        id="hxl"
        title={t("exchange.hxl_title")}
        hint={t("exchange.hxl_hint")}
        ext="csv"
        suggested={exportFileName("3w", "csv", today)}
        saved="exchange.saved"
        run={(path) =>
          api.exportHxl({
            path,
            period_start: periodStart || undefined,
            period_end: periodEnd || undefined,
            contact_emails: emails,
          })
        }
      >
        <div class="form-grid">
          <Field label={t("reports.period_start")}>
            <input
              name="hxl_period_start"
              type="date"
              value={periodStart}
              onInput={(e) => setPeriodStart((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field label={t("reports.period_end")}>
            <input
              name="hxl_period_end"
              type="date"
              value={periodEnd}
              onInput={(e) => setPeriodEnd((e.target as HTMLInputElement).value)}
            />
          </Field>
          <label class="choice">
            <input
              type="checkbox"
              name="hxl_emails"
              checked={emails}
              onChange={(e) => setEmails((e.target as HTMLInputElement).checked)}
            />
            {t("exchange.hxl_emails")}
          </label>
        </div>
      </ExportForm>
      <ExportForm
        id="iati"
        title={t("exchange.iati_title")}
        hint={t("exchange.iati_hint")}
        ext="xml"
        suggested={exportFileName("iati-activities", "xml", today)}
        saved="exchange.saved_activities"
        run={(path) => api.exportIati({ path, org_ref: orgRef.trim() || undefined })}
      >
        <Field label={t("exchange.org_ref")}>
          <input
            name="iati_org_ref"
            value={orgRef}
            placeholder="JP-JANIC"
            onInput={(e) => setOrgRef((e.target as HTMLInputElement).value)}
          />
        </Field>
      </ExportForm>
      <ExportForm
        id="json"
        title={t("exchange.json_title")}
        hint={t("settings.export_hint")}
        ext="json"
        suggested={exportFileName("export", "json", today)}
        saved="exchange.saved_records"
        run={(path) => api.exportJson(path)}
      />
    </section>
  );
}
