// Dates and money in the conventions of the UI language. Amounts arrive from
// the core as exact decimal strings and are only regrouped here, never
// parsed into floats, so what is shown matches the CLI to the yen and cent.
import type { Money } from "./bindings/Money";
import { type Lang, list, translate } from "./i18n";

const SYMBOL: Record<string, string> = { JPY: "¥", USD: "$" };
const MINOR: Record<string, number> = { JPY: 0, USD: 2 };

function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** ¥1,234 / $1,234.00 in both languages. The core already gives the
 * currency's exact scale; this only pads a short fraction and groups. */
export function formatMoney(m: Money, _lang: Lang): string {
  const raw = m.amount.trim();
  const negative = raw.startsWith("-");
  const [int = "0", frac = ""] = (negative ? raw.slice(1) : raw).split(".");
  const digits = MINOR[m.currency] ?? 2;
  const fraction = digits > 0 ? "." + frac.padEnd(digits, "0").slice(0, digits) : "";
  const symbol = SYMBOL[m.currency] ?? m.currency + " ";
  return `${negative ? "-" : ""}${symbol}${group(int.replace(/^0+(?=\d)/, ""))}${fraction}`;
}

/** "2011-03-11" → 2011年3月11日 / March 11, 2011; "2014-04" → 2014年4月 /
 * April 2014. Anything else is shown as given rather than guessed at. */
export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return "";
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value.trim());
  if (!m) return value;
  const [, y, mo, d] = m;
  const monthNo = Number(mo);
  if (monthNo < 1 || monthNo > 12) return value;
  const month = list(lang, "format.months")[monthNo - 1] ?? String(monthNo);
  const params = { y: Number(y), m: monthNo, month, d: d ? Number(d) : 0 };
  return translate(lang, d ? "format.day" : "format.month", params);
}

export function formatRange(start: string, end: string, lang: Lang): string {
  return translate(lang, "format.range", { start: formatDate(start, lang), end: formatDate(end, lang) });
}

export function formatCount(n: number | bigint, _lang: Lang): string {
  return group(String(n));
}

/** Today in the computer's time zone, as YYYY-MM-DD (the core's date form). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
