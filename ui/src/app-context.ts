import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Choices } from "./bindings/Choices";
import type { Choice } from "./bindings/Choice";
import type { Installation } from "./bindings/Installation";
import type { Lang } from "./i18n";
import { codeText, pick, translate, useI18n } from "./i18n";

export type Route =
  | { screen: "dashboard" }
  | { screen: "members" }
  | { screen: "member"; id: string }
  | { screen: "sites" }
  | { screen: "meetings" }
  | { screen: "meeting"; id: string }
  | { screen: "directory" }
  | { screen: "mailing" }
  | { screen: "advocacy" }
  | { screen: "grants" }
  | { screen: "fund" }
  | { screen: "matching"; tab?: MatchingTab }
  | { screen: "offer"; id: string }
  | { screen: "need"; id: string }
  | { screen: "reports" }
  | { screen: "exchange" }
  | { screen: "settings" }
  | { screen: "sync" }
  | { screen: "removed" }
  | { screen: "doctor" };

/** The tabs of the matching screen. */
export const MATCHING_TABS = ["offers", "needs", "matches", "conflicts"] as const;
export type MatchingTab = (typeof MATCHING_TABS)[number];

export interface AppCtx {
  choices: Choices;
  installation: Installation;
  go: (r: Route) => void;
  setLang: (l: Lang) => void;
  /** Over-committed offers now (the matching badge); undefined until read. */
  conflicts?: number;
  /** Reads the count of over-committed offers again, after a match changed. */
  recountConflicts?: () => void;
}

export const AppContext = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const c = useContext(AppContext);
  if (!c) throw new Error("AppContext missing");
  return c;
}

/** The label of a coded value (sector, status, prefecture...) in `lang`. */
export function label(list: Choice[], code: string, lang: Lang): string {
  const c = list.find((x) => x.code === code);
  return c ? pick(lang, c.ja, c.en) : code;
}

/** Whether this office may create, edit, remove or restore rows of `table`,
 * as the core reports it (`Installation.tables`); the core refuses anything
 * else as `unauthorized`, so a control that would only fail is disabled. An
 * unknown table is not writable. */
export function mayWrite(installation: Installation, table: string): boolean {
  return installation.tables.some((x) => x.table === table && x.writable);
}

/** The tooltip of a control disabled by rights, or undefined when allowed. */
export function rightsHint(installation: Installation, table: string, lang: Lang): string | undefined {
  if (mayWrite(installation, table)) return undefined;
  return translate(lang, "rights.hq_only", { table: codeText(lang, "tables.", table) });
}

/** `guard(table)` is `{ disabled, title }` for an edit control of `table`:
 * spread on the button, or combine `disabled` with the control's own. */
export function useRights() {
  const { installation } = useApp();
  const { lang } = useI18n();
  return (table: string) => ({
    disabled: !mayWrite(installation, table),
    title: rightsHint(installation, table, lang),
  });
}
