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

function lookup(lang: Lang, key: string): string | string[] | undefined {
  let node: string | string[] | Dict | undefined = DICTS[lang];
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return typeof node === "string" || Array.isArray(node) ? node : undefined;
}

export function translate(lang: Lang, key: string, params?: Record<string, string | number>): string {
  const found = lookup(lang, key);
  const text = typeof found === "string" ? found : key;
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

export function list(lang: Lang, key: string): string[] {
  const found = lookup(lang, key);
  return Array.isArray(found) ? found : [];
}

export type T = (key: string, params?: Record<string, string | number>) => string;

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
