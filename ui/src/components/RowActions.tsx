import { useI18n } from "../i18n";

// A list row's edit and remove buttons, disabled with the rights hint where
// this office may not write the table (the `useRights` guard).
export function RowActions(props: {
  guard: { disabled: boolean; title: string | undefined };
  onEdit: () => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <td class="row-actions">
      <button type="button" {...props.guard} onClick={props.onEdit}>
        {t("common.edit")}
      </button>
      <button type="button" class="danger" {...props.guard} onClick={props.onRemove}>
        {t("common.remove")}
      </button>
    </td>
  );
}
