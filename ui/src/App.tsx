import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "./api";
import { AppContext, type Route } from "./app-context";
import type { Choices } from "./bindings/Choices";
import type { Installation } from "./bindings/Installation";
import { ErrorBanner } from "./components/ErrorBanner";
import { codeText, I18nContext, type Lang, isLang, makeI18n } from "./i18n";
import { AdvocacyScreen } from "./screens/Advocacy";
import { DashboardScreen } from "./screens/Dashboard";
import { DirectoryScreen } from "./screens/Directory";
import { ExchangeScreen } from "./screens/Exchange";
import { FirstStart } from "./screens/FirstStart";
import { FundScreen } from "./screens/Fund";
import { GrantsScreen } from "./screens/Grants";
import { MailingScreen } from "./screens/Mailing";
import { MatchingScreen } from "./screens/Matching";
import { NeedPage, OfferPage } from "./screens/MatchingPage";
import { MeetingPage } from "./screens/MeetingPage";
import { MeetingsScreen } from "./screens/Meetings";
import { MemberPage } from "./screens/MemberPage";
import { MembersScreen } from "./screens/Members";
import { DoctorScreen } from "./screens/Doctor";
import { RemovedScreen } from "./screens/Removed";
import { ReportsScreen } from "./screens/Reports";
import { SettingsScreen } from "./screens/Settings";
import { SitesScreen } from "./screens/Sites";
import { SyncScreen } from "./screens/Sync";

const NAV = [
  "dashboard",
  "members",
  "sites",
  "meetings",
  "directory",
  "mailing",
  "advocacy",
  "grants",
  "fund",
  "matching",
  "reports",
  "exchange",
  "sync",
  "removed",
  "doctor",
  "settings",
] as const satisfies readonly Route["screen"][];

function initialLang(): Lang {
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "ja";
}

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang());
  // undefined: still asking the shell; null: first start, ask for the office.
  const [installation, setInstallation] = useState<Installation | null | undefined>(undefined);
  const [choices, setChoices] = useState<Choices | null>(null);
  const [route, setRoute] = useState<Route>({ screen: "dashboard" });
  const [fatal, setFatal] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<number | undefined>(undefined);
  const [recount, setRecount] = useState(0);

  useEffect(() => {
    Promise.all([api.languageGet(), api.choices(), api.startup()])
      .then(([saved, ch, inst]) => {
        if (isLang(saved)) setLangState(saved);
        setChoices(ch);
        setInstallation(inst);
      })
      .catch((e) => setFatal(toFailure(e).message));
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // The matching badge: over-committed offers, read again on every change of
  // screen (a sync may have brought some) and after a match changed.
  useEffect(() => {
    if (!installation) return;
    api.matchConflicts().then(
      (c) => setConflicts(c.length),
      () => setConflicts(undefined),
    );
  }, [installation, route, recount]);

  const setLang = (l: Lang) => {
    setLangState(l);
    api.languageSet(l).catch((e) => setFatal(toFailure(e).message));
  };

  const i18n = makeI18n(lang);
  const { t } = i18n;

  if (fatal && !choices) {
    return (
      <I18nContext.Provider value={i18n}>
        <ErrorBanner message={fatal} />
      </I18nContext.Provider>
    );
  }
  if (installation === undefined || !choices) {
    return <div class="loading">{t("common.loading")}</div>;
  }
  if (installation === null) {
    return (
      <I18nContext.Provider value={i18n}>
        <FirstStart offices={choices.offices} onLang={setLang} onDone={(inst) => setInstallation(inst)} />
      </I18nContext.Provider>
    );
  }

  const go = (r: Route) => setRoute(r);
  const PARENT: Partial<Record<Route["screen"], Route["screen"]>> = {
    member: "members",
    meeting: "meetings",
    offer: "matching",
    need: "matching",
  };
  const current = PARENT[route.screen] ?? route.screen;
  const recountConflicts = () => setRecount((n) => n + 1);
  return (
    <I18nContext.Provider value={i18n}>
      <AppContext.Provider value={{ choices, installation, go, setLang, conflicts, recountConflicts }}>
        <div class="shell">
          <nav class="sidebar" aria-label="main">
            <div class="brand">
              <span class="mark">絆</span>
              <span>
                <strong>Kizuna</strong>
                <small>{codeText(lang, "offices.", installation.office)}</small>
              </span>
            </div>
            {NAV.map((s) => (
              <button
                type="button"
                class={"nav" + (current === s ? " active" : "")}
                data-nav={s}
                aria-current={current === s ? "page" : undefined}
                onClick={() => go({ screen: s } as Route)}
              >
                {t(`nav.${s}`)}
                {s === "matching" && conflicts ? (
                  <span
                    class="badge"
                    data-testid="nav-conflicts"
                    title={t("matching.conflict_badge", { n: conflicts })}
                  >
                    {conflicts}
                  </span>
                ) : null}
              </button>
            ))}
          </nav>
          <main class="content">
            <ErrorBanner message={fatal} />
            {route.screen === "dashboard" && <DashboardScreen />}
            {route.screen === "members" && <MembersScreen />}
            {route.screen === "member" && <MemberPage id={route.id} />}
            {route.screen === "sites" && <SitesScreen />}
            {route.screen === "meetings" && <MeetingsScreen />}
            {route.screen === "meeting" && <MeetingPage id={route.id} />}
            {route.screen === "directory" && <DirectoryScreen />}
            {route.screen === "mailing" && <MailingScreen />}
            {route.screen === "advocacy" && <AdvocacyScreen />}
            {route.screen === "grants" && <GrantsScreen />}
            {route.screen === "fund" && <FundScreen />}
            {route.screen === "matching" && <MatchingScreen tab={route.tab} />}
            {route.screen === "offer" && <OfferPage id={route.id} />}
            {route.screen === "need" && <NeedPage id={route.id} />}
            {route.screen === "reports" && <ReportsScreen />}
            {route.screen === "exchange" && <ExchangeScreen />}
            {route.screen === "settings" && <SettingsScreen installation={installation} />}
            {route.screen === "sync" && <SyncScreen />}
            {route.screen === "removed" && <RemovedScreen />}
            {route.screen === "doctor" && <DoctorScreen />}
          </main>
        </div>
      </AppContext.Provider>
    </I18nContext.Provider>
  );
}
