import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { Meeting } from "../bindings/Meeting";
import type { MeetingDetail } from "../bindings/MeetingDetail";
import type { MeetingInput } from "../bindings/MeetingInput";
import type { Office } from "../bindings/Office";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { todayIso } from "../format";
import { pick, useI18n } from "../i18n";

const TEXTS = ["held_on", "start_time", "municipality", "venue", "topic_ja", "topic_en"] as const;
const AREAS = ["minutes_ja", "minutes_en", "decisions"] as const;
const FIELDS = [...TEXTS, ...AREAS, "office", "prefecture", "kind", "sector", "head_count"];

type Draft = Record<(typeof TEXTS)[number] | (typeof AREAS)[number], string> & {
  office: string;
  prefecture: string;
  kind: string;
  sector: string;
  head_count: string;
};

function draftOf(m: Meeting | null, office: string): Draft {
  return {
    held_on: m?.held_on ?? todayIso(),
    start_time: m?.start_time ?? "",
    office: m?.office_code ?? office,
    prefecture: m?.prefecture_code ?? "",
    municipality: m?.municipality ?? "",
    venue: m?.venue ?? "",
    kind: m?.kind ?? "information_sharing",
    sector: m?.sector ?? "",
    topic_ja: m?.topic_ja ?? "",
    topic_en: m?.topic_en ?? "",
    minutes_ja: m?.minutes_ja ?? "",
    minutes_en: m?.minutes_en ?? "",
    decisions: m?.decisions ?? "",
    head_count: m?.head_count == null ? "" : String(m.head_count),
  };
}

/** Records or edits a meeting; the core checks every field and names the one at fault. */
export function MeetingForm(props: {
  meeting: Meeting | null;
  offices: Office[];
  onSaved: (d: MeetingDetail) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { choices, installation } = useApp();
  const [d, setD] = useState<Draft>(draftOf(props.meeting, installation.office));
  const { errors, general, busy, submit } = useSubmit(FIELDS, { prefecture_code: "prefecture" });
  const [countError, setCountError] = useState<string | null>(null);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const count = d.head_count.trim();
    // The core takes a whole number; anything else never leaves the form.
    if (count !== "" && !/^\d+$/.test(count)) {
      setCountError(t("meetings.head_count_invalid"));
      return;
    }
    setCountError(null);
    const input: MeetingInput = {
      held_on: d.held_on,
      start_time: d.start_time,
      office: d.office,
      prefecture: d.prefecture,
      municipality: d.municipality,
      venue: d.venue,
      kind: d.kind,
      sector: d.sector,
      topic_ja: d.topic_ja,
      topic_en: d.topic_en,
      minutes_ja: d.minutes_ja,
      minutes_en: d.minutes_en,
      decisions: d.decisions,
      ...(count === "" ? {} : { head_count: Number(count) }),
    };
    const m = props.meeting;
    const saved = await submit(() => (m ? api.meetingEdit(m.id, input) : api.meetingAdd(input)));
    if (saved) props.onSaved(saved);
  };

  const text = (k: (typeof TEXTS)[number], placeholder?: string) => (
    <Field label={t(`meetings.field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} placeholder={placeholder} />
    </Field>
  );
  const area = (k: (typeof AREAS)[number]) => (
    <Field label={t(`meetings.field.${k}`)} error={errors[k]} wide>
      <textarea name={k} value={d[k]} onInput={set(k)} rows={3} />
    </Field>
  );
  const select = (k: "office" | "prefecture" | "kind" | "sector", options: { code: string; text: string }[]) => (
    <Field label={t(`meetings.field.${k}`)} error={errors[k]}>
      <select name={k} value={d[k]} onChange={set(k)}>
        {k !== "kind" && k !== "office" && <option value="">{t("common.none")}</option>}
        {options.map((o) => (
          <option value={o.code}>{o.text}</option>
        ))}
      </select>
    </Field>
  );
  const coded = (list: { code: string; ja: string; en: string }[]) =>
    list.map((c) => ({ code: c.code, text: pick(lang, c.ja, c.en) }));

  return (
    <Modal title={t(props.meeting ? "meetings.edit" : "meetings.add")} onCancel={props.onCancel} testId="meeting-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("held_on", "YYYY-MM-DD")}
          {text("start_time", "HH:MM")}
          {select(
            "office",
            props.offices.length
              ? props.offices.map((o) => ({ code: o.code, text: pick(lang, o.name_ja, o.name_en) }))
              : [{ code: d.office, text: d.office }],
          )}
          {select("kind", coded(choices.meeting_kinds))}
          {select("prefecture", coded(choices.prefectures))}
          {text("municipality")}
          {text("venue")}
          {select("sector", coded(choices.sectors))}
          {text("topic_ja")}
          {text("topic_en")}
          {area("minutes_ja")}
          {area("minutes_en")}
          {area("decisions")}
          <Field label={t("meetings.field.head_count")} error={countError ?? errors.head_count}>
            <input name="head_count" inputMode="numeric" value={d.head_count} onInput={set("head_count")} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="meeting-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
