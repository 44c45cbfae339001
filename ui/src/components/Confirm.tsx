import { Modal } from "./Modal";
import { useI18n } from "../i18n";

// Asks before a removal or another change a person may not mean. An in-page
// dialog rather than window.confirm, which the window's webview does not
// show to WebDriver (and so no end-to-end test could answer it). Focus
// starts on Cancel; Escape cancels.
export function Confirm(props: {
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal title={props.confirmLabel} onCancel={props.onCancel} testId="confirm">
      <p>{props.message}</p>
      <div class="actions">
        <button type="button" onClick={props.onCancel} data-testid="confirm-cancel">
          {t("common.cancel")}
        </button>
        <button
          type="button"
          class={props.danger ? "primary danger-fill" : "primary"}
          onClick={props.onConfirm}
          data-testid="confirm-ok"
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
