import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Choices } from "./bindings/Choices";
import type { Choice } from "./bindings/Choice";
import type { Lang } from "./i18n";
import { pick } from "./i18n";

export type Route =
  | { screen: "dashboard" }
  | { screen: "members" }
  | { screen: "member"; id: string }
  | { screen: "sites" }
  | { screen: "grants" }
  | { screen: "reports" }
  | { screen: "settings" }
  | { screen: "sync" };

export interface AppCtx {
  choices: Choices;
  go: (r: Route) => void;
  setLang: (l: Lang) => void;
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
