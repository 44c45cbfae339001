import { describe, expect, it } from "vitest";
import type { ImportReport } from "./bindings/ImportReport";
import { emptyImportForm, exportFileName, fraction, importRequest, mappingOf, mayCommit } from "./exchange";

function report(over: Partial<ImportReport>): ImportReport {
  return {
    kind: "members",
    path: "/tmp/m.csv",
    encoding: "cp932",
    sheet: null,
    rows: 3,
    columns: [
      { column: 1, letter: "A", header: "団体名", field: "name_ja" },
      { column: 2, letter: "B", header: "備考欄", field: null },
      { column: 3, letter: "C", header: "", field: null },
    ],
    problems: [],
    duplicates: [],
    added: 3,
    merged: 0,
    skipped: 0,
    donors_added: 0,
    dry_run: true,
    committed: false,
    ...over,
  };
}

describe("import requests", () => {
  it("carry only what the person chose, with the path trimmed", () => {
    const form = { ...emptyImportForm("sites"), path: "  /data/sites.xlsx " };
    expect(importRequest(form, true)).toEqual({
      kind: "sites",
      path: "/data/sites.xlsx",
      on_duplicate: "skip",
      dry_run: true,
    });
  });

  it("send the encoding, sheet, mapping overrides and per-row decisions", () => {
    const form = {
      ...emptyImportForm(),
      path: "/m.csv",
      encoding: "cp932" as const,
      sheet: " 会員 ",
      mapping: { 備考欄: "notes", 旧列: "" },
      decisions: { 4: "merge" as const, 9: "add" as const },
      onDuplicate: "add" as const,
    };
    expect(importRequest(form, false)).toEqual({
      kind: "members",
      path: "/m.csv",
      encoding: "cp932",
      sheet: "会員",
      mapping: [
        { header: "備考欄", field: "notes" },
        { header: "旧列", field: "" },
      ],
      decisions: [
        { row: 4, choice: "merge" },
        { row: 9, choice: "add" },
      ],
      on_duplicate: "add",
      dry_run: false,
    });
  });
});

describe("the preview", () => {
  it("is committed only after a dry run without problems that read rows", () => {
    expect(mayCommit(null)).toBe(false);
    expect(mayCommit(report({}))).toBe(true);
    expect(mayCommit(report({ rows: 0 }))).toBe(false);
    expect(mayCommit(report({ dry_run: false, committed: true }))).toBe(false);
    const problem = { row: 3, column: 1, letter: "A", header: "団体名", field: "name_ja", message: "required" };
    expect(mayCommit(report({ problems: [problem] }))).toBe(false);
  });

  it("saves every named column's field, the person's choice over the file's", () => {
    expect(mappingOf(report({}), { 備考欄: "notes" })).toEqual([
      { header: "団体名", field: "name_ja" },
      { header: "備考欄", field: "notes" },
    ]);
    expect(mappingOf(report({}), { 団体名: "" })[0]).toEqual({ header: "団体名", field: "" });
  });

  it("shows progress as a fraction, zero before the total is known", () => {
    expect(fraction(0, 0)).toBe(0);
    expect(fraction(50, 200)).toBe(0.25);
    expect(fraction(250, 200)).toBe(1);
  });
});

it("suggests dated export file names", () => {
  expect(exportFileName("budget_lines", "xlsx", "2026-12-02")).toBe("kizuna-budget-lines-2026-12-02.xlsx");
});
