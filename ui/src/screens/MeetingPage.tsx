import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { MeetingDetail } from "../bindings/MeetingDetail";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatDate } from "../format";
import { type KeysUnder, pick, useI18n } from "../i18n";
import { officeName, useOffices } from "../offices";
import { Attendance } from "./Attendance";
import { FollowUps } from "./FollowUps";
import { MeetingForm } from "./MeetingForm";
import { place } from "./Meetings";

export function MeetingPage(props: { id: string }) {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights();
  const offices = useOffices();
  const [detail, setDetail] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api.meetingShow(props.id).then(setDetail, (e) => setError(toFailure(e).message));
  }, [props.id, reload]);

  const remove = async () => {
    setConfirming(false);
    try {
      await api.meetingRemove(props.id);
      go({ screen: "meetings" });
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  if (!detail) return error ? <ErrorBanner message={error} /> : <p class="loading">{t("common.loading")}</p>;
  const m = detail.meeting;
  const topic = pick(lang, m.topic_ja, m.topic_en);
  const row = (k: KeysUnder<"meetings.field">, v: string | null | undefined, multiline = false) =>
    v ? (
      <>
        <dt>{t(`meetings.field.${k}`)}</dt>
        <dd data-field={k} class={multiline ? "multiline" : undefined}>
          {v}
        </dd>
      </>
    ) : null;
  return (
    <section data-testid="meeting-page">
      <button type="button" class="link" onClick={() => go({ screen: "meetings" })}>
        ← {t("meetings.back")}
      </button>
      <div class="head">
        <h1>
          <span data-testid="meeting-topic">{topic}</span> <small>{formatDate(m.held_on, lang)}</small>
        </h1>
        <span class="head-actions">
          <button type="button" {...guard("meetings")} onClick={() => setEditing(true)} data-testid="meeting-edit">
            {t("common.edit")}
          </button>
          <button
            type="button"
            class="danger"
            {...guard("meetings")}
            onClick={() => setConfirming(true)}
            data-testid="meeting-remove"
          >
            {t("common.remove")}
          </button>
        </span>
      </div>
      <ErrorBanner message={error} />
      <dl class="details">
        {row("held_on", [formatDate(m.held_on, lang), m.start_time ?? ""].filter(Boolean).join(" "))}
        {row("office", officeName(offices, m.office_code, lang))}
        {row("kind", label(choices.meeting_kinds, m.kind, lang))}
        {row("sector", m.sector ? label(choices.sectors, m.sector, lang) : null)}
        {row("place", place(choices.prefectures, m, lang))}
        {row("venue", m.venue)}
        {row(lang === "ja" ? "topic_en" : "topic_ja", lang === "ja" ? m.topic_en : m.topic_ja)}
        {row("head_count", m.head_count == null ? null : String(m.head_count))}
        {row("minutes_ja", m.minutes_ja, true)}
        {row("minutes_en", m.minutes_en, true)}
        {row("decisions", m.decisions, true)}
      </dl>
      <Attendance detail={detail} onChanged={setDetail} />
      <FollowUps detail={detail} offices={offices} onChanged={() => setReload(reload + 1)} />
      {editing && (
        <MeetingForm
          meeting={m}
          offices={offices}
          onCancel={() => setEditing(false)}
          onSaved={(d) => {
            setEditing(false);
            setDetail(d);
          }}
        />
      )}
      {confirming && (
        <Confirm
          message={t("meetings.remove_confirm", { topic, date: formatDate(m.held_on, lang) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
