import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { Recommendation } from "../bindings/Recommendation";
import type { RecommendationInput } from "../bindings/RecommendationInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

const TEXTS = ["title_ja", "title_en", "addressee", "drafted_on", "submitted_on", "answered_on"] as const;
const AREAS = ["text_ja", "text_en", "outcome"] as const;
const FIELDS = [...TEXTS, ...AREAS, "addressee_kind", "status"];
type Draft = Record<(typeof TEXTS)[number] | (typeof AREAS)[number] | "addressee_kind" | "status", string>;
const DATES = ["drafted_on", "submitted_on", "answered_on"];

/** A recommendation to government: its status moves with its dates, which the core keeps in order. */
export function RecommendationForm(props: {
  recommendation: Recommendation | null;
  onSaved: (r: Recommendation) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const r = props.recommendation;
  const [d, setD] = useState<Draft>({
    title_ja: r?.title_ja ?? "",
    title_en: r?.title_en ?? "",
    text_ja: r?.text_ja ?? "",
    text_en: r?.text_en ?? "",
    addressee_kind: r?.addressee_kind ?? "",
    addressee: r?.addressee ?? "",
    drafted_on: r?.drafted_on ?? "",
    submitted_on: r?.submitted_on ?? "",
    answered_on: r?.answered_on ?? "",
    status: r?.status ?? "draft",
    outcome: r?.outcome ?? "",
  });
  const { errors, general, busy, submit } = useSubmit(FIELDS);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const input: RecommendationInput = { ...d };
    const saved = await submit(() => (r ? api.recommendationEdit(r.id, input) : api.recommendationAdd(input)));
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number]) => (
    <Field label={t(`advocacy.field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} placeholder={DATES.includes(k) ? "YYYY-MM-DD" : undefined} />
    </Field>
  );
  const area = (k: (typeof AREAS)[number]) => (
    <Field label={t(`advocacy.field.${k}`)} error={errors[k]} wide>
      <textarea name={k} value={d[k]} onInput={set(k)} rows={3} />
    </Field>
  );

  return (
    <Modal
      title={t(r ? "advocacy.rec_edit" : "advocacy.rec_add")}
      onCancel={props.onCancel}
      testId="recommendation-form"
    >
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("title_ja")}
          {text("title_en")}
          <Field label={t("advocacy.field.addressee_kind")} error={errors.addressee_kind}>
            <select name="addressee_kind" value={d.addressee_kind} onChange={set("addressee_kind")}>
              <option value="">{t("common.none")}</option>
              {choices.addressee_kinds.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("addressee")}
          <Field label={t("advocacy.field.status")} error={errors.status}>
            <select name="status" value={d.status} onChange={set("status")}>
              {choices.recommendation_statuses.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("drafted_on")}
          {text("submitted_on")}
          {text("answered_on")}
          {area("text_ja")}
          {area("text_en")}
          {area("outcome")}
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="recommendation-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
