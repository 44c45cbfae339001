import { describe, expect, it } from "vitest";
import { mayWrite, rightsHint } from "./app-context";
import type { Installation } from "./bindings/Installation";

const office: Installation = {
  data_dir: "/d",
  database: "/d/kizuna.sqlite3",
  office: "tono",
  installation_id: "i",
  schema_version: 9,
  tables: [
    { table: "members", hq_only: false, writable: true },
    { table: "expenditures", hq_only: true, writable: false },
  ],
};

describe("rights from the core", () => {
  it("allow what the core says this office may write, and nothing unknown", () => {
    expect(mayWrite(office, "members")).toBe(true);
    expect(mayWrite(office, "expenditures")).toBe(false);
    expect(mayWrite(office, "no_such_table")).toBe(false);
  });

  it("explain a refused table in the person's language", () => {
    expect(rightsHint(office, "members", "en")).toBeUndefined();
    expect(rightsHint(office, "expenditures", "en")).toBe(
      "Only headquarters may change records of this kind (Expenditure).",
    );
    expect(rightsHint(office, "expenditures", "ja")).toContain("支出");
  });
});
