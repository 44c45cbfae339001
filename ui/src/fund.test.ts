import { describe, expect, it } from "vitest";
import { receiptFileName, statementFileName, withPdfExtension } from "./fund";

describe("fund file names", () => {
  it("give a typed path its .pdf once", () => {
    expect(withPdfExtension(" /tmp/receipt ")).toBe("/tmp/receipt.pdf");
    expect(withPdfExtension("/tmp/r.PDF")).toBe("/tmp/r.PDF");
    expect(withPdfExtension("  ")).toBe("");
  });

  it("name receipts by number and statements by year and English name", () => {
    expect(receiptFileName("R2011-000001")).toBe("receipt-R2011-000001.pdf");
    expect(statementFileName("Red Cross (Tokyo)", 2011)).toBe("statement-2011-red-cross-tokyo.pdf");
    expect(statementFileName(null, 2012)).toBe("statement-2012-donor.pdf");
  });
});
