import { api, toFailure } from "../api";
import { useI18n } from "../i18n";
import { Field } from "./Field";

/** A file path, typed or picked in the native dialog (which only answers a
 * path: the command that reads or writes checks it). Typing is what the
 * e2e tests do, since WebDriver cannot drive a native dialog. */
export function PathInput(props: {
  name: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  /** Extensions the dialog offers, without the dot. */
  extensions: string[];
  /** "save" asks where to write, suggesting `suggested`; "open" asks which file to read. */
  mode: "save" | "open";
  suggested?: string;
  error?: string | null;
  onError: (message: string) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const choose = async () => {
    try {
      const picked =
        props.mode === "save"
          ? await api.pickSavePath(props.suggested ?? "", props.extensions)
          : await api.pickOpenPath(props.extensions);
      if (picked) props.onInput(picked);
    } catch (e) {
      props.onError(toFailure(e).message);
    }
  };
  return (
    <div class="path-row">
      <Field label={props.label} error={props.error} wide>
        <input
          name={props.name}
          class="mono"
          value={props.value}
          placeholder={props.suggested}
          disabled={props.disabled}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      </Field>
      <button
        type="button"
        disabled={props.disabled}
        onClick={() => void choose()}
        data-testid={`${props.name}-choose`}
      >
        {props.mode === "save" ? t("reports.choose") : t("exchange.choose_file")}
      </button>
    </div>
  );
}
