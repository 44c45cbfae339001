import type { TableFormat } from "../bindings/TableFormat";
import { useI18n } from "../i18n";
import { Field } from "./Field";

/** XLSX or CSV, for the table and list exports. */
export function TableFormatSelect(props: { name: string; value: TableFormat; onChange: (f: TableFormat) => void }) {
  const { t } = useI18n();
  return (
    <Field label={t("exchange.format")}>
      <select
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as TableFormat)}
      >
        <option value="xlsx">XLSX (Excel)</option>
        <option value="csv">CSV (UTF-8)</option>
      </select>
    </Field>
  );
}
