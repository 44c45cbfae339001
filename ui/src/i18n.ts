// UI strings live in locales/{ja,en}.json only. `t` looks a key up in the
// current language and fills {placeholders}; a missing key shows itself so
// it is noticed rather than silently blank.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import en from "./locales/en.json";
import ja from "./locales/ja.json";

export type Lang = "ja" | "en";
export const LANGS: Lang[] = ["ja", "en"];
type Dict = { [k: string]: string | string[] | Dict };
const DICTS: Record<Lang, Dict> = { ja: ja as Dict, en: en as Dict };

export function isLang(s: unknown): s is Lang {
  return s === "ja" || s === "en";
}

/** Every dotted path to a string in en.json: `t("members.count")` with a
 * key that en.json lacks, or a key built in a template literal from a union
 * one of whose members has no entry, fails `tsc`. ja.json is held to the
 * same key set by i18n.test.ts. */
type PathsTo<Node, Leaf, Prefix extends string = ""> = {
  [K in keyof Node & string]: Node[K] extends Leaf
    ? `${Prefix}${K}`
    : Node[K] extends string | readonly string[]
      ? never
      : PathsTo<Node[K], Leaf, `${Prefix}${K}.`>;
}[keyof Node & string];
export type Key = PathsTo<typeof en, string>;
/** Keys whose entry is a list (month names, ...), read with `list`. */
export type ListKey = PathsTo<typeof en, readonly string[]>;

/** The key for a code that arrives as data (an office code from the
 * database, a peer name): checked at run time, since no type can know it.
 * Null when en.json has no such text. */
export function keyFor(key: string): Key | null {
  return typeof lookup("en", key) === "string" ? (key as Key) : null;
}

/** The part after `prefix.` of every key under it: `KeysUnder<"members.field">`
 * is the union of the member field names that have a label. */
export type KeysUnder<Prefix extends string, K = Key> = K extends `${Prefix}.${infer Rest}` ? Rest : never;

function lookup(lang: Lang, key: string): string | string[] | undefined {
  let node: string | string[] | Dict | undefined = DICTS[lang];
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return typeof node === "string" || Array.isArray(node) ? node : undefined;
}

export function translate(lang: Lang, key: Key, params?: Record<string, string | number>): string {
  const found = lookup(lang, key);
  const text = typeof found === "string" ? found : key;
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

/** The text of `prefix + code` for a code that arrives as data, or the code
 * itself when en.json has no text for it (a newer peer's stage, an office
 * this version does not know). */
export function codeText(lang: Lang, prefix: string, code: string): string {
  const key = keyFor(prefix + code);
  return key ? translate(lang, key) : code;
}

export function list(lang: Lang, key: ListKey): string[] {
  const found = lookup(lang, key);
  return Array.isArray(found) ? found : [];
}

export type T = (key: Key, params?: Record<string, string | number>) => string;

export interface I18n {
  lang: Lang;
  t: T;
}

export function makeI18n(lang: Lang): I18n {
  return { lang, t: (key, params) => translate(lang, key, params) };
}

export const I18nContext = createContext<I18n>(makeI18n("ja"));
export const useI18n = () => useContext(I18nContext);

/** Picks the label of a bilingual record for the current language, falling
 * back to the other language when one is empty. */
export function pick(lang: Lang, ja: string | null | undefined, en: string | null | undefined): string {
  return (lang === "ja" ? ja || en : en || ja) ?? "";
}
