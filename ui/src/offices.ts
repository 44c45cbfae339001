import { useEffect, useState } from "preact/hooks";
import { api } from "./api";
import type { Office } from "./bindings/Office";
import { codeText, type Lang, pick } from "./i18n";

/** The network's offices, read once per screen (HQ may add one in Settings).
 * Until they arrive, or if they cannot be read, names fall back to the
 * office codes' texts, so a screen never waits on them. */
export function useOffices(): Office[] {
  const [offices, setOffices] = useState<Office[]>([]);
  useEffect(() => {
    api.officeList().then(setOffices, () => undefined);
  }, []);
  return offices;
}

export function officeName(offices: Office[], code: string | null | undefined, lang: Lang): string {
  if (!code) return "";
  const o = offices.find((x) => x.code === code);
  return o ? pick(lang, o.name_ja, o.name_en) : codeText(lang, "offices.", code);
}
