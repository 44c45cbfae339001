import { describe, expect, it } from "vitest";
import { fromMinor, receiptFileName, statementFileName, sumMoney, toMinor, withPdfExtension } from "./fund";

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

describe("exact money sums", () => {
  it("read amounts as minor units", () => {
    expect(toMinor({ amount: "333.34", currency: "USD" })).toBe(33334n);
    expect(toMinor({ amount: "1234", currency: "JPY" })).toBe(1234n);
    expect(toMinor({ amount: "-0.5", currency: "USD" })).toBe(-50n);
    expect(toMinor({ amount: "12.00", currency: "JPY" })).toBe(12n);
    expect(() => toMinor({ amount: "1.001", currency: "USD" })).toThrow();
  });

  it("write minor units back as the core does", () => {
    expect(fromMinor(100000n, "USD")).toEqual({ amount: "1000.00", currency: "USD" });
    expect(fromMinor(5n, "USD")).toEqual({ amount: "0.05", currency: "USD" });
    expect(fromMinor(-5n, "USD")).toEqual({ amount: "-0.05", currency: "USD" });
    expect(fromMinor(328709n, "JPY")).toEqual({ amount: "328709", currency: "JPY" });
  });

  it("sum shares to the distributed amount without float drift", () => {
    const shares = ["333.34", "333.33", "333.33"].map((amount) => ({ amount, currency: "USD" as const }));
    expect(sumMoney(shares, "USD")).toEqual({ amount: "1000.00", currency: "USD" });
    const tenths = Array.from({ length: 10 }, () => ({ amount: "0.10", currency: "USD" as const }));
    expect(sumMoney(tenths, "USD").amount).toBe("1.00");
    expect(sumMoney([], "JPY")).toEqual({ amount: "0", currency: "JPY" });
    expect(() => sumMoney([{ amount: "1", currency: "JPY" }], "USD")).toThrow();
  });
});
