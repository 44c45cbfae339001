import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { Installation } from "../bindings/Installation";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { codeText, LANGS, type Lang, useI18n } from "../i18n";
import { joinErrorText } from "../join";
import { useSubmit } from "../form";

type Mode = "new" | "join";

// Asked once per installation. Either this computer starts a database of its
// own (HQ, or an office working alone), seeded from the source document, or
// a field office joins the network with HQ's invite file and the one-time
// passphrase HQ read out; the office then comes from the invite.
export function FirstStart(props: { offices: string[]; onLang: (l: Lang) => void; onDone: (i: Installation) => void }) {
  const { t, lang } = useI18n();
  const [mode, setMode] = useState<Mode>("new");
  return (
    <div class="first-start" data-testid="first-start">
      <div class="card">
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
        <div class="tabs" role="tablist">
          {(["new", "join"] as const).map((m) => (
            <button
              type="button"
              role="tab"
              aria-selected={mode === m}
              class={"tab" + (mode === m ? " active" : "")}
              data-mode={m}
              onClick={() => setMode(m)}
            >
              {t(`first.mode.${m}`)}
            </button>
          ))}
        </div>
        {mode === "new" ? (
          <NewDatabase offices={props.offices} onDone={props.onDone} onJoin={() => setMode("join")} />
        ) : (
          <JoinNetwork onDone={props.onDone} />
        )}
      </div>
    </div>
  );
}

function NewDatabase(props: { offices: string[]; onDone: (i: Installation) => void; onJoin: () => void }) {
  const { t, lang } = useI18n();
  const [office, setOffice] = useState(props.offices[0] ?? "tokyo");
  const { general, busy, submit } = useSubmit([]);
  const start = async (e: Event) => {
    e.preventDefault();
    const inst = await submit(() => api.init(office));
    if (inst) props.onDone(inst);
  };
  return (
    <form class="first-form" onSubmit={start}>
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
      {office !== "tokyo" && (
        // A field office's data reaches HQ only once it is enrolled: offer the invite first.
        <p class="hint" data-testid="first-offer-join">
          {t("first.field_office_join")}{" "}
          <button type="button" class="link" onClick={props.onJoin} data-testid="first-offer-join-button">
            {t("first.mode.join")}
          </button>
        </p>
      )}
      <ErrorBanner message={general} />
      <button type="submit" class="primary" disabled={busy} data-testid="first-start-submit">
        {t("first.start")}
      </button>
    </form>
  );
}

export function JoinNetwork(props: { onDone: (i: Installation) => void }) {
  const { t } = useI18n();
  const [path, setPath] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: "path" | "passphrase" | null; text: string } | null>(null);

  const choose = async () => {
    try {
      const picked = await api.pickOpenPath([]);
      if (picked) {
        setPath(picked);
        setProblem(null);
      }
    } catch (e) {
      setProblem({ field: null, text: toFailure(e).message });
    }
  };

  const join = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      props.onDone(await api.join(path.trim(), passphrase));
    } catch (err) {
      setProblem(joinErrorText(toFailure(err), t));
    } finally {
      setBusy(false);
    }
  };

  const err = (f: "path" | "passphrase") => (problem?.field === f ? problem.text : null);
  return (
    <form class="first-form" onSubmit={join} data-testid="join-form">
      <p class="hint">{t("first.join_intro")}</p>
      <div class="path-row">
        <Field label={t("first.invite_file")} error={err("path")} wide>
          <input
            name="invite_path"
            class="mono"
            value={path}
            placeholder={t("first.invite_placeholder")}
            onInput={(e) => {
              setPath((e.target as HTMLInputElement).value);
              setProblem(null);
            }}
          />
        </Field>
        <button type="button" onClick={() => void choose()} data-testid="invite-choose">
          {t("first.invite_choose")}
        </button>
      </div>
      <Field label={t("first.passphrase")} error={err("passphrase")} wide>
        <input
          name="passphrase"
          type="password"
          class="mono"
          autocomplete="off"
          value={passphrase}
          placeholder="XXXXX-XXXXX-XXXXX-XXXXX"
          onInput={(e) => {
            setPassphrase((e.target as HTMLInputElement).value);
            setProblem(null);
          }}
        />
      </Field>
      <p class="hint">{t("first.passphrase_hint")}</p>
      {problem && problem.field === null && (
        <div class="banner error" role="alert" data-testid="join-error">
          {problem.text}
        </div>
      )}
      <button
        type="submit"
        class="primary"
        disabled={busy || !path.trim() || !passphrase.trim()}
        data-testid="join-submit"
      >
        {busy ? t("first.joining") : t("first.join")}
      </button>
    </form>
  );
}
