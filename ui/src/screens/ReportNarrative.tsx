import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useRights } from "../app-context";
import type { Activity } from "../bindings/Activity";
import type { Narrative } from "../bindings/Narrative";
import type { NarrativeInput } from "../bindings/NarrativeInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

/** The texts the form edits, each as typed ("" for none). */
type Texts = Record<string, string>;

const PAIRS = ["challenges", "lessons", "next_steps", "people_basis"] as const;
const SIGN_OFF = [
  "prepared_by",
  "preparer_title_en",
  "preparer_title_ja",
  "prepared_on",
  "approved_by",
  "approver_title_en",
  "approver_title_ja",
  "approved_on",
] as const;

function textsOf(n: Narrative | null, activities: Activity[]): Texts {
  const t: Texts = {};
  for (const a of activities) {
    const r = n?.results.find((x) => x.activity_id === a.id);
    t[`result_en:${a.id}`] = r?.en ?? "";
    t[`result_ja:${a.id}`] = r?.ja ?? "";
  }
  const stored = (n ?? {}) as unknown as Record<string, unknown>;
  const v = (key: string) => {
    const x = stored[key];
    return x === null || x === undefined ? "" : String(x);
  };
  for (const p of PAIRS) {
    t[`${p}_en`] = v(`${p}_en`);
    t[`${p}_ja`] = v(`${p}_ja`);
  }
  t.people_reached = v("people_reached");
  for (const s of SIGN_OFF) t[s] = v(s);
  return t;
}

/** Every field as the core's input: the form always sends all of them, so
 * what is shown is what is stored. */
function inputOf(phaseId: string, start: string, end: string, t: Texts, activities: Activity[]): NarrativeInput {
  const input: NarrativeInput = { phase_id: phaseId };
  if (start) input.period_start = start;
  if (end) input.period_end = end;
  input.results = activities.map((a) => ({
    activity: a.id,
    text_en: t[`result_en:${a.id}`] ?? "",
    text_ja: t[`result_ja:${a.id}`] ?? "",
  }));
  const put = input as unknown as Record<string, string>;
  for (const p of PAIRS) {
    put[`${p}_en`] = t[`${p}_en`] ?? "";
    put[`${p}_ja`] = t[`${p}_ja`] ?? "";
  }
  input.people_reached = t.people_reached ?? "";
  for (const s of SIGN_OFF) put[s] = t[s] ?? "";
  return input;
}

/** The period narrative and sign-off of the chosen phase and period, as the
 * core stores them; the core says what a final report still lacks. */
export function NarrativeEditor(props: {
  phaseId: string;
  periodStart: string;
  periodEnd: string;
  activities: Activity[];
}) {
  const { t, lang } = useI18n();
  const rights = useRights()("narratives");
  const [narrative, setNarrative] = useState<Narrative | null>(null);
  const [texts, setTexts] = useState<Texts>(textsOf(null, props.activities));
  const [saved, setSaved] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const fields = ["activity", "people_reached", "prepared_on", "approved_on", "period_start", "period_end"];
  const { errors, general, busy, submit } = useSubmit(fields);

  useEffect(() => {
    if (!props.phaseId) return;
    setSaved(false);
    setLoadError(null);
    api.narrativeFind(props.phaseId, props.periodStart || null, props.periodEnd || null).then(
      (n) => {
        setNarrative(n);
        setTexts(textsOf(n, props.activities));
      },
      (e) => setLoadError(toFailure(e).message),
    );
  }, [props.phaseId, props.periodStart, props.periodEnd, props.activities]);

  const set = (key: string, value: string) => {
    setTexts({ ...texts, [key]: value });
    setSaved(false);
  };
  const area = (key: string, label: string, rows = 3) => (
    <Field label={label} error={errors[key]} wide>
      <textarea
        name={key}
        rows={rows}
        value={texts[key] ?? ""}
        disabled={rights.disabled}
        onInput={(e) => set(key, (e.target as HTMLTextAreaElement).value)}
      />
    </Field>
  );
  const line = (key: string, label: string, type = "text") => (
    <Field label={label} error={errors[key]}>
      <input
        name={key}
        type={type}
        value={texts[key] ?? ""}
        disabled={rights.disabled}
        onInput={(e) => set(key, (e.target as HTMLInputElement).value)}
      />
    </Field>
  );

  const save = async () => {
    const n = await submit(() =>
      api.narrativeSet(inputOf(props.phaseId, props.periodStart, props.periodEnd, texts, props.activities)),
    );
    if (n) {
      setNarrative(n);
      setTexts(textsOf(n, props.activities));
      setSaved(true);
    }
  };

  const missing = narrative?.missing ?? null;
  const missingText = (code: string) => {
    if (code.startsWith("results:")) {
      const a = props.activities.find((x) => x.id === code.slice("results:".length));
      return t("narrative.missing_result", { activity: a ? pick(lang, a.title_ja, a.title_en) : code });
    }
    return t(`narrative.field_${code}` as "narrative.field_challenges");
  };

  return (
    <fieldset class="card" data-testid="narrative">
      <legend>{t("narrative.title")}</legend>
      <ErrorBanner message={loadError ?? general} />
      <p class="hint" data-testid="narrative-status">
        {missing === null
          ? t("narrative.none")
          : missing.length === 0
            ? t("narrative.complete")
            : t("narrative.missing", { list: missing.map(missingText).join(", ") })}
      </p>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void save();
        }}
      >
        <h3 class="wide">{t("narrative.results")}</h3>
        {errors.activity && <p class="field-error wide">{errors.activity}</p>}
        {props.activities.map((a) => (
          <div class="wide narrative-activity">
            <strong>{pick(lang, a.title_ja, a.title_en)}</strong>
            {area(`result_en:${a.id}`, t("narrative.in_en"), 2)}
            {area(`result_ja:${a.id}`, t("narrative.in_ja"), 2)}
          </div>
        ))}
        {PAIRS.filter((p) => p !== "people_basis").map((p) => [
          area(`${p}_en`, `${t(`narrative.field_${p}`)} (${t("narrative.in_en")})`),
          area(`${p}_ja`, `${t(`narrative.field_${p}`)} (${t("narrative.in_ja")})`),
        ])}
        {line("people_reached", t("narrative.field_people_reached"))}
        {area("people_basis_en", `${t("narrative.basis")} (${t("narrative.in_en")})`, 2)}
        {area("people_basis_ja", `${t("narrative.basis")} (${t("narrative.in_ja")})`, 2)}
        <h3 class="wide">{t("narrative.sign_off")}</h3>
        {line("prepared_by", t("narrative.field_prepared_by"))}
        {line("preparer_title_en", `${t("narrative.title_of")} (${t("narrative.in_en")})`)}
        {line("preparer_title_ja", `${t("narrative.title_of")} (${t("narrative.in_ja")})`)}
        {line("prepared_on", t("narrative.prepared_on"), "date")}
        {line("approved_by", t("narrative.field_approved_by"))}
        {line("approver_title_en", `${t("narrative.title_of")} (${t("narrative.in_en")})`)}
        {line("approver_title_ja", `${t("narrative.title_of")} (${t("narrative.in_ja")})`)}
        {line("approved_on", t("narrative.approved_on"), "date")}
        <div class="wide">
          <button type="submit" data-testid="narrative-save" disabled={busy || rights.disabled} title={rights.title}>
            {t("common.save")}
          </button>
          {saved && (
            <span class="notice" data-testid="narrative-saved">
              {t("narrative.saved")}
            </span>
          )}
        </div>
      </form>
    </fieldset>
  );
}
