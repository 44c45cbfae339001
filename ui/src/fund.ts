// What the Fund screens decide before they call the shell: the file names
// suggested for receipts and statements, the .pdf a typed path must carry
// (the shell writes a PDF only to an absolute path ending in .pdf).

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
