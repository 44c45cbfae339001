import { describe, expect, it } from "vitest";
import en from "./locales/en.json";
import ja from "./locales/ja.json";
import { translate } from "./i18n";

type Tree = { [k: string]: unknown };
function keys(node: Tree, prefix = ""): string[] {
  return Object.entries(node).flatMap(([k, v]) =>
    v && typeof v === "object" && !Array.isArray(v) ? keys(v as Tree, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("locale files", () => {
  it("have the same keys in ja and en", () => {
    expect(keys(ja as Tree).sort()).toEqual(keys(en as Tree).sort());
  });

  it("every key used in the code exists in both languages", async () => {
    const sources = import.meta.glob("./**/*.tsx", { query: "?raw", import: "default", eager: true }) as Record<
      string,
      string
    >;
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\("([a-z_]+\.[a-z_.]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const all = new Set(keys(en as Tree));
    expect([...used].filter((k) => !all.has(k))).toEqual([]);
  });

  it("fills placeholders and shows a missing key as itself", () => {
    expect(translate("ja", "members.count", { n: "1,234" })).toBe("1,234団体");
    expect(translate("en", "members.count", { n: "1,234" })).toBe("1,234 members");
    expect(translate("en", "no.such.key")).toBe("no.such.key");
  });
});
