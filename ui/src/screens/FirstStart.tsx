import { useState } from "preact/hooks";
import { api } from "../api";
import type { Installation } from "../bindings/Installation";
import { ErrorBanner } from "../components/ErrorBanner";
import { codeText, LANGS, type Lang, useI18n } from "../i18n";
import { useSubmit } from "../form";

// Asked once per installation: which office this computer belongs to. The
// core then creates the database, seeded from the source document.
export function FirstStart(props: { offices: string[]; onLang: (l: Lang) => void; onDone: (i: Installation) => void }) {
  const { t, lang } = useI18n();
  const [office, setOffice] = useState(props.offices[0] ?? "tokyo");
  const { general, busy, submit } = useSubmit([]);
  const start = async (e: Event) => {
    e.preventDefault();
    const inst = await submit(() => api.init(office));
    if (inst) props.onDone(inst);
  };
  return (
    <div class="first-start" data-testid="first-start">
      <form class="card" onSubmit={start}>
        <div class="lang-switch">
          {LANGS.map((l) => (
            <button type="button" class={l === lang ? "active" : ""} data-lang={l} onClick={() => props.onLang(l)}>
              {t(`lang.${l}`)}
            </button>
          ))}
        </div>
        <h1>
          <span class="mark">絆</span> {t("first.title")}
        </h1>
        <p>{t("first.intro")}</p>
        <fieldset>
          <legend>{t("first.question")}</legend>
          {props.offices.map((o) => (
            <label class="choice">
              <input type="radio" name="office" value={o} checked={office === o} onChange={() => setOffice(o)} />
              {codeText(lang, "offices.", o)}
            </label>
          ))}
        </fieldset>
        <p class="hint">{t("first.seeded")}</p>
        <ErrorBanner message={general} />
        <button type="submit" class="primary" disabled={busy} data-testid="first-start-submit">
          {t("first.start")}
        </button>
      </form>
    </div>
  );
}
