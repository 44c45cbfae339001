import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useApp } from "../app-context";
import type { Recommendation } from "../bindings/Recommendation";
import type { RecommendationInput } from "../bindings/RecommendationInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { TypeAhead } from "../components/TypeAhead";
import { formatDate } from "../format";
import { useSubmit } from "../form";
import { type Lang, pick, useI18n } from "../i18n";

const TEXTS = ["title_ja", "title_en", "addressee", "drafted_on", "submitted_on", "answered_on"] as const;
const AREAS = ["text_ja", "text_en", "outcome"] as const;
const FIELDS = [...TEXTS, ...AREAS, "addressee_kind", "status"];
type Draft = Record<(typeof TEXTS)[number] | (typeof AREAS)[number] | "addressee_kind" | "status", string>;
const DATES = ["drafted_on", "submitted_on", "answered_on"];
/** The candidates one source search offers. */
const CANDIDATES = 8;

/** A meeting or member a recommendation came from, with what the form shows of it. */
type Source = { id: string; label: string };

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
  const [meetings, setMeetings] = useState<Source[]>([]);
  const [members, setMembers] = useState<Source[]>([]);
  const [touched, setTouched] = useState({ meetings: false, members: false });
  const { errors, general, busy, submit, setGeneral } = useSubmit([...FIELDS, "meetings", "members"]);

  // The sources are stored as ids; their names are read once for the chips.
  useEffect(() => {
    if (!r) return;
    Promise.all(r.meeting_ids.map((id) => api.meetingShow(id).then((d) => meetingSource(d.meeting, lang))))
      .then(setMeetings)
      .catch((e) => setGeneral(toFailure(e).message));
    Promise.all(r.member_ids.map((id) => api.memberShow(id).then((m) => memberSource(m, lang))))
      .then(setMembers)
      .catch((e) => setGeneral(toFailure(e).message));
  }, [r?.id]);

  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    // Until a stored source's name is read, its list is left as it is.
    const input: RecommendationInput = {
      ...d,
      meetings:
        r && meetings.length < r.meeting_ids.length && !touched.meetings ? undefined : meetings.map((m) => m.id),
      members: r && members.length < r.member_ids.length && !touched.members ? undefined : members.map((m) => m.id),
    };
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
          <Sources
            name="source-meeting"
            label={t("advocacy.field.meetings")}
            error={errors.meetings}
            picked={meetings}
            onChange={(v) => {
              setMeetings(v);
              setTouched({ ...touched, meetings: true });
            }}
            search={(typed) =>
              api
                .meetingList({ search: typed, limit: CANDIDATES })
                .then((p) => p.rows.map((m) => meetingSource(m, lang)))
            }
            onError={setGeneral}
          />
          <Sources
            name="source-member"
            label={t("advocacy.field.members")}
            error={errors.members}
            picked={members}
            onChange={(v) => {
              setMembers(v);
              setTouched({ ...touched, members: true });
            }}
            search={(typed) =>
              api.memberList({ search: typed, limit: CANDIDATES }).then((p) => p.rows.map((m) => memberSource(m, lang)))
            }
            onError={setGeneral}
          />
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

function meetingSource(
  m: { id: string; held_on: string; topic_ja: string | null; topic_en: string | null },
  lang: Lang,
) {
  return { id: m.id, label: `${formatDate(m.held_on, lang)} ${pick(lang, m.topic_ja, m.topic_en)}`.trim() };
}

function memberSource(m: { id: string; member_no: string; name_ja: string; name_en: string | null }, lang: Lang) {
  return { id: m.id, label: `${m.member_no} ${pick(lang, m.name_ja, m.name_en)}` };
}

/** Picked sources as removable chips, and a type-ahead that adds one. */
function Sources(props: {
  name: string;
  label: string;
  error?: string;
  picked: Source[];
  onChange: (s: Source[]) => void;
  search: (typed: string) => Promise<Source[]>;
  onError: (message: string) => void;
}) {
  const { t } = useI18n();
  const { picked, onChange } = props;
  return (
    <Field label={props.label} error={props.error} wide>
      <ul class="chips" data-testid={`${props.name}s`}>
        {picked.map((s) => (
          <li data-source-id={s.id}>
            {s.label}
            <button
              type="button"
              aria-label={t("common.remove")}
              onClick={() => onChange(picked.filter((p) => p.id !== s.id))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <TypeAhead<Source>
        name={props.name}
        label={props.label}
        search={props.search}
        keyOf={(s) => s.id}
        render={(s) => <span class="candidate">{s.label}</span>}
        onPick={async (s) => {
          if (!picked.some((p) => p.id === s.id)) onChange([...picked, s]);
          return true;
        }}
        onError={props.onError}
      />
    </Field>
  );
}
