import { describe, expect, it } from "vitest";
import type { Reason } from "./bindings/Reason";
import { parseQuantity, points, reasonText, withUnit } from "./matching";

const URGENCIES = [
  { code: "high", en: "High", ja: "高" },
  { code: "critical", en: "Critical", ja: "緊急" },
];

function reason(r: Partial<Reason> & Pick<Reason, "code">): Reason {
  return {
    value: null,
    quantity: null,
    of: null,
    urgency: null,
    points: 0,
    text_en: "core en",
    text_ja: "core ja",
    ...r,
  };
}

describe("a suggestion's reasons", () => {
  it("are written from the structured codes in each language, never from the core's text", () => {
    const km = reason({ code: "distance_km", value: 306.3 });
    expect(reasonText(km, "en", URGENCIES)).toBe("306.3 km away");
    expect(reasonText(km, "ja", URGENCIES)).toBe("距離 306.3 km");
    expect(reasonText(reason({ code: "same_prefecture" }), "ja", URGENCIES)).toBe("同じ都道府県");
    expect(reasonText(reason({ code: "elsewhere" }), "en", URGENCIES)).toBe("in another prefecture");
  });

  it("give the quantities with the unit in each language's way, grouped", () => {
    const all = reason({ code: "covers_all", quantity: 20, of: 20 });
    expect(reasonText(all, "en", URGENCIES, "台")).toBe("covers all 20 台 needed");
    expect(reasonText(all, "ja", URGENCIES, "台")).toBe("必要な20台をすべて満たす");
    const part = reason({ code: "covers_part", quantity: 1500, of: 2000 });
    expect(reasonText(part, "en", URGENCIES)).toBe("covers 1,500 of the 2,000 needed");
    expect(reasonText(part, "ja", URGENCIES, "個")).toBe("必要な2,000個のうち1,500を満たす");
  });

  it("name the urgency from the code table and count days", () => {
    expect(reasonText(reason({ code: "urgent", urgency: "critical" }), "ja", URGENCIES)).toBe("緊急度: 緊急");
    expect(reasonText(reason({ code: "urgent", urgency: "high" }), "en", URGENCIES)).toBe("urgency: High");
    expect(reasonText(reason({ code: "offered_days_ago", value: 12 }), "en", URGENCIES)).toBe("offered 12 days ago");
    expect(reasonText(reason({ code: "raised_days_ago", value: 3 }), "ja", URGENCIES)).toBe("3日前から必要");
    expect(reasonText(reason({ code: "offered_days_ago", value: 0 }), "en", URGENCIES)).toBe("offered today");
    expect(reasonText(reason({ code: "raised_days_ago", value: 0 }), "ja", URGENCIES)).toBe("本日登録");
  });

  it("fall back to the core's own text for a code this version does not know", () => {
    const newer = reason({ code: "carbon_saved" as unknown as Reason["code"] });
    expect(reasonText(newer, "en", URGENCIES)).toBe("core en");
    expect(reasonText(newer, "ja", URGENCIES)).toBe("core ja");
  });

  it("show their points with a sign and at most one decimal", () => {
    expect(points(27)).toBe("+27");
    expect(points(4.444)).toBe("+4.4");
    expect(points(0)).toBe("+0");
  });
});

describe("quantities", () => {
  it("are whole numbers, typed in ASCII or full-width digits", () => {
    expect(parseQuantity(" 20 ")).toBe(20);
    expect(parseQuantity("２０")).toBe(20);
    expect(parseQuantity("2.5")).toBeNull();
    expect(parseQuantity("-1")).toBeNull();
    expect(parseQuantity("")).toBeNull();
  });

  it("go with their unit in each language's way", () => {
    expect(withUnit(50, "台", "ja")).toBe("50台");
    expect(withUnit(1200, "units", "en")).toBe("1,200 units");
    expect(withUnit(3, null, "en")).toBe("3");
  });
});
