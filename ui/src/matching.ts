// Donation matching, the parts that are plain data: a suggestion's reasons
// in the UI language (from the core's structured codes, never its English
// or Japanese text), quantities as typed, and quantities with their unit.
// What a match may do next and what accepting carries come from the core.
import type { Choice } from "./bindings/Choice";
import type { Reason } from "./bindings/Reason";
import { label } from "./app-context";
import { formatCount } from "./format";
import { type Lang, translate } from "./i18n";

/** A reason in `lang`, filled from its numbers; `unit` is the offer's (or
 * the need's) unit. A code this version does not know shows the core's own
 * text in that language rather than nothing. */
export function reasonText(r: Reason, lang: Lang, urgencies: Choice[], unit?: string | null): string {
  const u = unit ? (lang === "ja" ? unit : ` ${unit}`) : "";
  const n = (v: number | null | undefined) => formatCount(Math.round(v ?? 0), lang);
  const own = lang === "ja" ? r.text_ja : r.text_en;
  switch (r.code) {
    case "distance_km":
      return translate(lang, "matching.reason.distance_km", { km: (r.value ?? 0).toFixed(1) });
    case "same_municipality":
      return translate(lang, "matching.reason.same_municipality");
    case "same_prefecture":
      return translate(lang, "matching.reason.same_prefecture");
    case "elsewhere":
      return translate(lang, "matching.reason.elsewhere");
    case "covers_all":
      return translate(lang, "matching.reason.covers_all", { of: n(r.of), unit: u });
    case "covers_part":
      return translate(lang, "matching.reason.covers_part", { q: n(r.quantity), of: n(r.of), unit: u });
    case "urgent":
      return translate(lang, "matching.reason.urgent", { urgency: label(urgencies, r.urgency ?? "", lang) });
    case "offered_days_ago":
      return r.value
        ? translate(lang, "matching.reason.offered_days_ago", { d: n(r.value) })
        : translate(lang, "matching.reason.offered_today");
    case "raised_days_ago":
      return r.value
        ? translate(lang, "matching.reason.raised_days_ago", { d: n(r.value) })
        : translate(lang, "matching.reason.raised_today");
    default:
      return own;
  }
}

/** Points as shown beside a reason: "+27", "+4.4". */
export function points(p: number): string {
  const rounded = Math.round(p * 10) / 10;
  return `+${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}`;
}

/** A whole number of things from what was typed, or null: "20", " 20 ",
 * "２０" (full-width, as a Japanese IME types it) are 20. */
export function parseQuantity(typed: string): number | null {
  const ascii = typed.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^\d+$/.test(ascii) ? Number(ascii) : null;
}

/** A quantity with its unit in `lang`: "50 units", "50台". */
export function withUnit(q: number, unit: string | null | undefined, lang: Lang): string {
  const n = formatCount(q, lang);
  if (!unit) return n;
  return lang === "ja" ? `${n}${unit}` : `${n} ${unit}`;
}
