import { describe, expect, it } from "vitest";
import en from "./locales/en.json";
import ja from "./locales/ja.json";
import { type Key, translate } from "./i18n";

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

  it("give each key the same kind in ja and en: text, or a list of the same length", () => {
    const leaf = (tree: Tree, key: string) =>
      key.split(".").reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);
    const kind = (v: unknown) => (Array.isArray(v) ? `list of ${v.length}` : typeof v);
    const differ = keys(en as Tree).filter((k) => kind(leaf(ja as Tree, k)) !== kind(leaf(en as Tree, k)));
    expect(differ).toEqual([]);
  });

  // Keys are typed from en.json (i18n.ts `Key`), so a key used in the code
  // that en.json lacks fails `tsc --noEmit` (npm run build). The lines below
  // marked as expected errors prove it: tsc fails if one of them type-checks.
  it("are typed: a missing key, or a template key from a union with a missing member, does not compile", () => {
    // @ts-expect-error en.json has no members.no_such_key
    expect(translate("en", "members.no_such_key")).toBe("members.no_such_key");
    const known = "pull" as "pull" | "push";
    expect(translate("en", `sync.stage.${known}`)).toBe("Receiving");
    const oneMissing = "pull" as "pull" | "unpack";
    // @ts-expect-error sync.stage.unpack is missing, so the template literal is not a Key
    expect(translate("en", `sync.stage.${oneMissing}`)).toBe("Receiving");
    const anyString: string = "pull";
    // @ts-expect-error a key built from an unchecked string is refused: codeText checks such codes at run time
    expect(translate("en", `sync.stage.${anyString}`)).toBe("Receiving");
  });

  it("fills placeholders and shows a missing key as itself", () => {
    expect(translate("ja", "members.count", { n: "1,234" })).toBe("1,234団体");
    expect(translate("en", "members.count", { n: "1,234" })).toBe("1,234 members");
    expect(translate("en", "no.such.key" as Key)).toBe("no.such.key");
  });
});
