import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { mayWrite, rightsHint, useApp } from "../app-context";
import type { DuplicateChoice } from "../bindings/DuplicateChoice";
import type { ImportField } from "../bindings/ImportField";
import type { ImportKind } from "../bindings/ImportKind";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { ImportReport } from "../bindings/ImportReport";
import type { TextEncoding } from "../bindings/TextEncoding";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PathInput } from "../components/PathInput";
import {
  type ImportForm,
  IMPORT_KINDS,
  emptyImportForm,
  fraction,
  importRequest,
  mappingOf,
  mayCommit,
} from "../exchange";
import { codeText, pick, useI18n } from "../i18n";

const CHOICES: DuplicateChoice[] = ["skip", "merge", "add"];
const ENCODINGS: TextEncoding[] = ["utf8", "cp932"];

/** Members, sites, contacts or gifts from a spreadsheet: a dry run lists
 * every problem by row and column with manual entry's messages and every
 * likely duplicate with a choice; the rows are written only when the check
 * is clean, all in one transaction. Any change of mapping or choice checks
 * the file again, so what is committed is what was shown. */
export function ImportCard() {
  const { t, lang } = useI18n();
  const { installation } = useApp();
  const [form, setForm] = useState<ImportForm>(emptyImportForm());
  const [fields, setFields] = useState<ImportField[]>([]);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pathError, setPathError] = useState<string | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const busy = progress !== null;
  const writable = mayWrite(installation, form.kind);

  useEffect(() => {
    api.importFields(form.kind).then(setFields, (e) => setError(toFailure(e).message));
  }, [form.kind]);

  const run = async (next: ImportForm, dryRun: boolean) => {
    setError(null);
    setPathError(null);
    setNotice(null);
    if (!next.path.trim()) {
      setPathError(t("exchange.need_file"));
      return;
    }
    setProgress({ stage: "reading", done: 0, total: 0 });
    try {
      const r = await api.importRun(importRequest(next, dryRun), setProgress);
      // A commit that found problems wrote nothing: it shows them like a check.
      if (dryRun || !r.committed) {
        setReport(r);
        setDone(null);
      } else {
        setDone(r);
        setReport(null);
      }
    } catch (e) {
      const f = toFailure(e);
      if (f.field === "path" || f.field === "file") setPathError(f.message);
      else setError(f.message);
      if (dryRun) setReport(null);
    } finally {
      setProgress(null);
    }
  };

  /** A new file or kind starts over: the old preview says nothing about it. */
  const restart = (patch: Partial<ImportForm>) => {
    setForm({ ...form, ...patch, mapping: {}, decisions: {} });
    setReport(null);
    setDone(null);
  };
  /** A changed mapping or choice is checked again at once. */
  const recheck = (patch: Partial<ImportForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    void run(next, true);
  };

  const saveMapping = async () => {
    if (!report) return;
    try {
      await api.importMappingSave(form.kind, mappingOf(report, form.mapping));
      setNotice(t("exchange.mapping_saved"));
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  const fieldLabel = (f: ImportField) => pick(lang, f.ja, f.en) + (f.required ? " *" : "");

  return (
    <form
      class="card exchange-import"
      data-testid="import"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void run(form, true);
      }}
    >
      <h2>{t("exchange.import")}</h2>
      <p class="hint">{t("exchange.import_hint")}</p>
      <ErrorBanner message={error} />
      <div class="form-grid">
        <Field label={t("exchange.kind")}>
          <select
            name="import_kind"
            value={form.kind}
            onChange={(e) => restart({ kind: (e.target as HTMLSelectElement).value as ImportKind })}
          >
            {IMPORT_KINDS.map((k) => (
              <option value={k}>{codeText(lang, "tables.", k)}</option>
            ))}
          </select>
        </Field>
        <Field label={t("exchange.encoding")}>
          <select
            name="import_encoding"
            value={form.encoding}
            onChange={(e) => restart({ encoding: (e.target as HTMLSelectElement).value as TextEncoding | "" })}
          >
            <option value="">{t("exchange.encoding_auto")}</option>
            {ENCODINGS.map((x) => (
              <option value={x}>{t(`exchange.encoding_${x}`)}</option>
            ))}
          </select>
        </Field>
        <Field label={t("exchange.sheet")}>
          <input
            name="import_sheet"
            value={form.sheet}
            placeholder={t("exchange.sheet_first")}
            onInput={(e) => restart({ sheet: (e.target as HTMLInputElement).value })}
          />
        </Field>
      </div>
      <PathInput
        name="import_path"
        label={t("exchange.file")}
        value={form.path}
        onInput={(path) => restart({ path })}
        extensions={["csv", "xlsx"]}
        mode="open"
        error={pathError}
        onError={setError}
        disabled={busy}
      />
      <div class="actions">
        <button type="submit" data-testid="import-check" disabled={busy}>
          {t("exchange.check")}
        </button>
        <button
          type="button"
          class="primary"
          data-testid="import-commit"
          disabled={busy || !mayCommit(report) || !writable}
          title={rightsHint(installation, form.kind, lang)}
          onClick={() => void run(form, false)}
        >
          {report ? t("exchange.commit", { n: report.added + report.merged }) : t("exchange.commit_none")}
        </button>
      </div>
      {progress && (
        <div class="report-progress" aria-live="polite">
          <progress data-testid="import-progress" max={1} value={fraction(progress.done, progress.total)} />
          <span>{codeText(lang, "exchange.stage_", progress.stage)}</span>
        </div>
      )}
      {notice && <p class="notice">{notice}</p>}
      {done && (
        <p class="notice" data-testid="import-done">
          {t("exchange.done", { added: done.added, merged: done.merged, skipped: done.skipped })}
        </p>
      )}
      {report && (
        <div class="import-preview" data-testid="import-preview">
          <p data-testid="import-summary">
            {t("exchange.summary", {
              rows: report.rows,
              added: report.added,
              merged: report.merged,
              skipped: report.skipped,
            })}
            {report.encoding && ` · ${t(`exchange.encoding_${report.encoding}`)}`}
            {report.sheet && ` · ${report.sheet}`}
          </p>
          {report.problems.length > 0 && (
            <>
              <h3 class="danger">{t("exchange.problems", { n: report.problems.length })}</h3>
              <table class="grid" data-testid="import-problems">
                <thead>
                  <tr>
                    <th>{t("exchange.row")}</th>
                    <th>{t("exchange.column")}</th>
                    <th>{t("exchange.message")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((p) => (
                    <tr>
                      <td>{p.row}</td>
                      <td>{p.letter ? `${p.letter} ${p.header ?? ""}` : t("common.none")}</td>
                      <td>{p.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {report.duplicates.length > 0 && (
            <>
              <h3>{t("exchange.duplicates", { n: report.duplicates.length })}</h3>
              <table class="grid" data-testid="import-duplicates">
                <thead>
                  <tr>
                    <th>{t("exchange.row")}</th>
                    <th>{t("exchange.name")}</th>
                    <th>{t("exchange.existing")}</th>
                    <th>{t("exchange.choice")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.duplicates.map((d) => (
                    <tr>
                      <td>{d.row}</td>
                      <td>{d.name}</td>
                      <td>{d.existing_label}</td>
                      <td>
                        <select
                          name={`dup-${d.row}`}
                          value={d.choice}
                          disabled={busy}
                          onChange={(e) =>
                            recheck({
                              decisions: {
                                ...form.decisions,
                                [d.row]: (e.target as HTMLSelectElement).value as DuplicateChoice,
                              },
                            })
                          }
                        >
                          {CHOICES.map((c) => (
                            <option value={c}>{t(`exchange.choice_${c}`)}</option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3>{t("exchange.columns")}</h3>
          <table class="grid" data-testid="import-columns">
            <thead>
              <tr>
                <th>{t("exchange.column")}</th>
                <th>{t("exchange.header")}</th>
                <th>{t("exchange.field")}</th>
              </tr>
            </thead>
            <tbody>
              {report.columns.map((c) => (
                <tr>
                  <td>{c.letter}</td>
                  <td>{c.header}</td>
                  <td>
                    <select
                      name={`map-${c.letter}`}
                      value={form.mapping[c.header] ?? c.field ?? ""}
                      disabled={busy || c.header.trim() === ""}
                      onChange={(e) =>
                        recheck({
                          mapping: { ...form.mapping, [c.header]: (e.target as HTMLSelectElement).value },
                        })
                      }
                    >
                      <option value="">{t("exchange.ignored")}</option>
                      {fields.map((f) => (
                        <option value={f.field}>{fieldLabel(f)}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" data-testid="import-mapping-save" onClick={() => void saveMapping()}>
            {t("exchange.mapping_save")}
          </button>
        </div>
      )}
    </form>
  );
}
