// What the Mailing lists screen decides before it calls the shell: the file
// name to suggest and the extension a typed path must carry (the shell
// writes a list only to an absolute path with its format's extension).
import type { ListFormat } from "./bindings/ListFormat";

export const EXTENSION: Record<ListFormat, string> = { csv: "csv", vcard: "vcf" };

/** "tohoku-update.csv" from the list's English name, as the core names it. */
export function listFileName(nameEn: string, format: ListFormat): string {
  const stem = nameEn
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${stem || "mailing-list"}.${EXTENSION[format]}`;
}

/** A typed path without the format's extension gets it. */
export function withListExtension(path: string, format: ListFormat): string {
  const p = path.trim();
  if (!p) return p;
  const ext = EXTENSION[format];
  return p.toLowerCase().endsWith(`.${ext}`) ? p : `${p}.${ext}`;
}
