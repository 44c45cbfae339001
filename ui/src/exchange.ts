// The import and export screen's rules that need no window: what a request
// holds, when a checked file may be committed, the file names suggested.
import type { DuplicateChoice } from "./bindings/DuplicateChoice";
import type { HeaderField } from "./bindings/HeaderField";
import type { ImportKind } from "./bindings/ImportKind";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { TextEncoding } from "./bindings/TextEncoding";

/** Each kind is also the name of the table it writes (for `mayWrite`). */
export const IMPORT_KINDS: ImportKind[] = ["members", "sites", "contacts", "gifts"];

export interface ImportForm {
  kind: ImportKind;
  path: string;
  /** "" lets the core detect it. */
  encoding: TextEncoding | "";
  sheet: string;
  /** Header → field chosen on this screen ("" ignores the column), over the saved mapping. */
  mapping: Record<string, string>;
  /** Spreadsheet row → choice for that row's likely duplicate. */
  decisions: Record<number, DuplicateChoice>;
  onDuplicate: DuplicateChoice;
}

export function emptyImportForm(kind: ImportKind = "members"): ImportForm {
  return { kind, path: "", encoding: "", sheet: "", mapping: {}, decisions: {}, onDuplicate: "skip" };
}

/** The request for a dry run (`dryRun`) or the commit of the same choices. */
export function importRequest(form: ImportForm, dryRun: boolean): ImportRequest {
  const mapping: HeaderField[] = Object.entries(form.mapping).map(([header, field]) => ({ header, field }));
  const decisions = Object.entries(form.decisions).map(([row, choice]) => ({ row: Number(row), choice }));
  const req: ImportRequest = {
    kind: form.kind,
    path: form.path.trim(),
    on_duplicate: form.onDuplicate,
    dry_run: dryRun,
  };
  if (form.encoding) req.encoding = form.encoding;
  if (form.sheet.trim()) req.sheet = form.sheet.trim();
  if (mapping.length) req.mapping = mapping;
  if (decisions.length) req.decisions = decisions;
  return req;
}

/** The whole mapping of the checked file as the person left it: each
 * column's header with its field, what "save this mapping" keeps. */
export function mappingOf(report: ImportReport, overrides: Record<string, string>): HeaderField[] {
  return report.columns
    .filter((c) => c.header.trim() !== "")
    .map((c) => ({ header: c.header, field: overrides[c.header] ?? c.field ?? "" }));
}

/** A dry run's report may be committed when it found no problem and read at
 * least one row; the core checks everything again on commit. */
export function mayCommit(report: ImportReport | null): boolean {
  return report !== null && report.dry_run && report.problems.length === 0 && report.rows > 0;
}

/** `done / total` for a progress bar; 0 before the total is known. */
export function fraction(done: number, total: number): number {
  return total > 0 ? Math.min(1, done / total) : 0;
}

/** The file name suggested for an export, dated so exports do not overwrite each other. */
export function exportFileName(what: string, ext: string, today: string): string {
  return `kizuna-${what.replace(/_/g, "-")}-${today}.${ext}`;
}
