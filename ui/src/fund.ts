// What the Fund screens decide before they call the shell: the file names
// suggested for receipts and statements, the .pdf a typed path must carry
// (the shell writes a PDF only to an absolute path ending in .pdf), and the
// exact sum of a distribution's shares, shown beside the amount T it must equal.
import type { Currency } from "./bindings/Currency";
import type { Money } from "./bindings/Money";

const MINOR: Record<Currency, number> = { JPY: 0, USD: 2 };

/** A typed path without ".pdf" gets it. */
export function withPdfExtension(path: string): string {
  const p = path.trim();
  if (!p) return p;
  return p.toLowerCase().endsWith(".pdf") ? p : `${p}.pdf`;
}

/** "receipt-R2011-000001.pdf". */
export function receiptFileName(receiptNo: string): string {
  return `receipt-${receiptNo.replace(/[^A-Za-z0-9-]/g, "") || "gift"}.pdf`;
}

/** "statement-2011-red-cross-tokyo.pdf" from the donor's English name (else "donor"). */
export function statementFileName(nameEn: string | null, year: number): string {
  const stem = (nameEn ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `statement-${year}-${stem || "donor"}.pdf`;
}

/** An exact decimal amount as an integer count of the currency's minor unit. */
export function toMinor(m: Money): bigint {
  const raw = m.amount.trim();
  const negative = raw.startsWith("-");
  const [int = "0", frac = ""] = (negative ? raw.slice(1) : raw).split(".");
  const digits = MINOR[m.currency];
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) {
    throw new Error(`${m.amount} has more decimals than ${m.currency} has`);
  }
  const units = BigInt((int || "0") + frac.padEnd(digits, "0").slice(0, digits));
  return negative ? -units : units;
}

/** Minor units back to the core's decimal text ("1000.00", "1234"). */
export function fromMinor(units: bigint, currency: Currency): Money {
  const digits = MINOR[currency];
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, "0");
  const int = text.slice(0, text.length - digits);
  const amount = digits > 0 ? `${int}.${text.slice(text.length - digits)}` : int;
  return { amount: negative ? `-${amount}` : amount, currency };
}

/** The exact sum of amounts in one currency, never through floats. */
export function sumMoney(amounts: Money[], currency: Currency): Money {
  for (const m of amounts) {
    if (m.currency !== currency) throw new Error(`a ${m.currency} amount in a ${currency} sum`);
  }
  return fromMinor(
    amounts.reduce((s, m) => s + toMinor(m), 0n),
    currency,
  );
}
