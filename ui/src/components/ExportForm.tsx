import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { toFailure } from "../api";
import { useI18n } from "../i18n";
import { formatSize } from "../report";
import { PathInput } from "./PathInput";

/** One export: its own options, where to write, and what was written. */
export function ExportForm(props: {
  id: string;
  title: string;
  hint: string;
  ext: string;
  suggested: string;
  /** What the written count counts. */
  saved: "exchange.saved" | "exchange.saved_activities" | "exchange.saved_records";
  children?: ComponentChildren;
  /** Inside a dialog: no card of its own. */
  plain?: boolean;
  run: (path: string) => Promise<{ path: string; rows: number; bytes: number }>;
}) {
  const { t } = useI18n();
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ path: string; rows: number; bytes: number } | null>(null);
  const submit = async () => {
    setError(null);
    setSaved(null);
    if (!path.trim()) {
      setError(t("exchange.need_path"));
      return;
    }
    setBusy(true);
    try {
      const s = await props.run(path.trim());
      setSaved({ path: s.path, rows: Number(s.rows), bytes: Number(s.bytes) });
    } catch (e) {
      setError(toFailure(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class={props.plain ? undefined : "card"}
      data-testid={`export-${props.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      {props.title && <h3>{props.title}</h3>}
      <p class="hint">{props.hint}</p>
      {props.children}
      <PathInput
        name={`export_${props.id}_path`}
        label={t("reports.path")}
        value={path}
        onInput={(v) => {
          setPath(v);
          setError(null);
        }}
        extensions={[props.ext]}
        mode="save"
        suggested={props.suggested}
        error={error}
        onError={setError}
        disabled={busy}
      />
      <button type="submit" class="primary" disabled={busy} data-testid={`export-${props.id}-run`}>
        {t("exchange.export_run")}
      </button>
      {saved && (
        <p class="notice" data-testid={`export-${props.id}-saved`}>
          {t(props.saved, { path: saved.path, rows: saved.rows, size: formatSize(saved.bytes) })}
        </p>
      )}
    </form>
  );
}
