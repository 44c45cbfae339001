import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { ListExport } from "../bindings/ListExport";
import type { ListFormat } from "../bindings/ListFormat";
import type { MailingList } from "../bindings/MailingList";
import { Field } from "../components/Field";
import { useI18n } from "../i18n";
import { EXTENSION, listFileName, withListExtension } from "../mailing";

const FORMATS: ListFormat[] = ["csv", "vcard"];

/** A list as a file for the mailing tool, saved where the person chooses
 * (the save dialog, or a typed path, as on the Reports screen). Opted-out
 * and bouncing subscribers are left out by the core, and counted. */
export function ListExportCard(props: { list: MailingList }) {
  const { t } = useI18n();
  const [format, setFormat] = useState<ListFormat>("csv");
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ path: string; export: ListExport } | null>(null);

  const exportTo = async (target: string) => {
    const file = withListExtension(target, format);
    setSaved(null);
    setPathError(null);
    if (!file) {
      setPathError(t("mailing.need_path"));
      return;
    }
    setPath(file);
    setBusy(true);
    try {
      const done = await api.listExportSave({ list_id: props.list.id, format }, file);
      setSaved({ path: file, export: done });
    } catch (e) {
      setPathError(toFailure(e).message);
    } finally {
      setBusy(false);
    }
  };
  const choose = async () => {
    try {
      const picked = await api.pickSavePath(listFileName(props.list.name_en, format), [EXTENSION[format]]);
      if (picked) await exportTo(picked);
    } catch (e) {
      setPathError(toFailure(e).message);
    }
  };

  return (
    <form
      class="list-export"
      data-testid="list-export"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void exportTo(path);
      }}
    >
      <h3>{t("mailing.export")}</h3>
      <div class="checks">
        {FORMATS.map((f) => (
          <label class="choice">
            <input type="radio" name="export_format" value={f} checked={format === f} onChange={() => setFormat(f)} />
            {t(`mailing.format.${f}`)}
          </label>
        ))}
        <button type="button" disabled={busy} onClick={() => void choose()} data-testid="list-export-choose">
          {t("reports.choose")}
        </button>
      </div>
      <div class="path-row">
        <Field label={t("reports.path")} error={pathError} wide>
          <input
            name="export_path"
            class="mono"
            value={path}
            placeholder={listFileName(props.list.name_en, format)}
            onInput={(e) => setPath((e.target as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit" disabled={busy || !path.trim()} data-testid="list-export-save">
          {t("reports.export")}
        </button>
      </div>
      {saved && (
        <p class="notice" data-testid="list-exported">
          {t("mailing.exported", {
            path: saved.path,
            n: saved.export.exported,
            bounced: saved.export.skipped_bounced,
            opted_out: saved.export.skipped_opted_out,
          })}
        </p>
      )}
    </form>
  );
}
