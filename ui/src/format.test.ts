import { describe, expect, it } from "vitest";
import { formatCount, formatDate, formatMoney, formatRange } from "./format";

describe("formatMoney", () => {
  it("shows yen without a minor unit and dollars with cents, grouped", () => {
    expect(formatMoney({ amount: "1234", currency: "JPY" }, "ja")).toBe("¥1,234");
    expect(formatMoney({ amount: "1234", currency: "JPY" }, "en")).toBe("¥1,234");
    expect(formatMoney({ amount: "1234.00", currency: "USD" }, "en")).toBe("$1,234.00");
    expect(formatMoney({ amount: "1234.00", currency: "USD" }, "ja")).toBe("$1,234.00");
  });

  it("keeps every digit of large amounts exactly (no float rounding)", () => {
    expect(formatMoney({ amount: "98765432109876543.21", currency: "USD" }, "en")).toBe("$98,765,432,109,876,543.21");
    expect(formatMoney({ amount: "328709.00", currency: "USD" }, "en")).toBe("$328,709.00");
  });

  it("handles small, zero, negative and short-fraction amounts", () => {
    expect(formatMoney({ amount: "0", currency: "JPY" }, "ja")).toBe("¥0");
    expect(formatMoney({ amount: "999", currency: "JPY" }, "ja")).toBe("¥999");
    expect(formatMoney({ amount: "5.5", currency: "USD" }, "en")).toBe("$5.50");
    expect(formatMoney({ amount: "-1500.25", currency: "USD" }, "en")).toBe("-$1,500.25");
  });
});

describe("formatDate", () => {
  it("formats a full date in each language", () => {
    expect(formatDate("2011-03-11", "ja")).toBe("2011年3月11日");
    expect(formatDate("2011-03-11", "en")).toBe("March 11, 2011");
  });

  it("formats a month-precision date without inventing a day", () => {
    expect(formatDate("2014-04", "ja")).toBe("2014年4月");
    expect(formatDate("2014-04", "en")).toBe("April 2014");
    expect(formatDate("2012-12", "en")).toBe("December 2012");
  });

  it("shows nothing for no date and leaves unknown shapes as given", () => {
    expect(formatDate(null, "en")).toBe("");
    expect(formatDate("", "ja")).toBe("");
    expect(formatDate("2014-13", "en")).toBe("2014-13");
    expect(formatDate("someday", "ja")).toBe("someday");
  });

  it("joins ranges in each language's style", () => {
    expect(formatRange("2011-03", "2012-02-29", "ja")).toBe("2011年3月〜2012年2月29日");
    expect(formatRange("2011-03", "2012-02-29", "en")).toBe("March 2011 – February 29, 2012");
  });
});

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(formatCount(100000, "ja")).toBe("100,000");
    expect(formatCount(7, "en")).toBe("7");
  });
});
