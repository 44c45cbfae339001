import { describe, expect, it } from "vitest";
import { listFileName, withListExtension } from "./mailing";

describe("mailing list files", () => {
  it("suggests a file name from the list's English name and the format", () => {
    expect(listFileName("Tohoku update", "csv")).toBe("tohoku-update.csv");
    expect(listFileName("Tohoku update!", "vcard")).toBe("tohoku-update.vcf");
    expect(listFileName("東北支援情報", "csv")).toBe("mailing-list.csv");
  });

  it("gives a typed path the format's extension unless it has it", () => {
    expect(withListExtension("/tmp/list", "csv")).toBe("/tmp/list.csv");
    expect(withListExtension(" /tmp/list.CSV ", "csv")).toBe("/tmp/list.CSV");
    expect(withListExtension("/tmp/list.csv", "vcard")).toBe("/tmp/list.csv.vcf");
    expect(withListExtension("  ", "vcard")).toBe("");
  });
});
