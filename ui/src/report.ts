// What the Reports screen decides before it calls the shell: the request the
// core expects, a file name to suggest in the save dialog, and how to show a
// saved file's size. Kept apart from the screen so it is tested without one.
import type { ReportKind } from "./bindings/ReportKind";
import type { ReportRequest } from "./bindings/ReportRequest";
import type { Key, Lang } from "./i18n";

export interface ReportForm {
  kind: ReportKind;
  phaseId: string;
  /** YYYY-MM-DD or empty (the phase's own dates). */
  periodStart: string;
  periodEnd: string;
  /** The report's edition, independent of the UI language. */
  lang: Lang;
  /** A final report: the core refuses it until the narrative and sign-off are complete. */
  final?: boolean;
}

/** A problem the form can show before asking the core: a locale key and the field it belongs to. */
export interface FormProblem {
  field: "phase" | "period_end";
  key: Key;
}

/** The request for the core, or the first problem with the form. The core
 * checks the dates again; this only spares a round trip for the obvious. */
export function reportRequest(f: ReportForm): { request: ReportRequest } | { problem: FormProblem } {
  if (f.kind === "profile") {
    return { request: { kind: "profile", options: { lang: f.lang } } };
  }
  if (!f.phaseId) return { problem: { field: "phase", key: "reports.need_phase" } };
  const start = f.periodStart.trim();
  const end = f.periodEnd.trim();
  // ISO dates compare correctly as strings.
  if (start && end && end < start) return { problem: { field: "period_end", key: "reports.period_order" } };
  const options: ReportRequest["options"] = { lang: f.lang };
  if (start) options.period_start = start;
  if (end) options.period_end = end;
  if (f.final) options.final_report = true;
  return { request: { kind: "phase", phase_id: f.phaseId, options } };
}

/** "direct-relief-phase-2-en.pdf", "kizuna-partner-profile-ja.pdf"; a chosen
 * period is part of the name so two periods' reports do not overwrite each other. */
export function suggestedFileName(f: ReportForm, phase?: { donor: string; seq: number }): string {
  if (f.kind === "profile") return `kizuna-partner-profile-${f.lang}.pdf`;
  const donor = slug(phase?.donor ?? "") || "grant";
  const period = [f.periodStart.trim(), f.periodEnd.trim()].filter(Boolean).join("_");
  return `${donor}-phase-${phase?.seq ?? ""}${period ? "-" + period : ""}-${f.lang}.pdf`;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The core writes only to a .pdf path; a typed path without one gets it. */
export function withPdfExtension(path: string): string {
  const p = path.trim();
  if (!p) return p;
  return /\.pdf$/i.test(p) ? p : `${p}.pdf`;
}

/** 41,705 bytes → "40.7 KB"; under a kilobyte in bytes. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
