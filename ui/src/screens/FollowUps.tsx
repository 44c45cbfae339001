import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { FollowUp } from "../bindings/FollowUp";
import type { FollowUpInput } from "../bindings/FollowUpInput";
import type { MeetingDetail } from "../bindings/MeetingDetail";
import type { Office } from "../bindings/Office";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { useSubmit } from "../form";
import { formatDate, todayIso } from "../format";
import { pick, useI18n } from "../i18n";
import { officeName } from "../offices";

const FIELDS = ["text", "responsible", "due_on"];

/** "office:CODE" or "member:ID": who is responsible, as one select's value. */
function inputOf(text: string, responsible: string, due: string): FollowUpInput {
  const [kind, id] = responsible.split(/:(.*)/s);
  return {
    text,
    due_on: due,
    ...(kind === "office" ? { office: id } : {}),
    ...(kind === "member" ? { member: id } : {}),
  };
}

/** What was agreed and who follows up: added, marked done and removed here. */
export function FollowUps(props: { detail: MeetingDetail; offices: Office[]; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("follow_ups");
  const [text, setText] = useState("");
  const [responsible, setResponsible] = useState("");
  const [due, setDue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<FollowUp | null>(null);
  const { errors, general, busy, submit } = useSubmit(FIELDS, { member: "responsible", office: "responsible" });
  const { meeting, attendees, follow_ups } = props.detail;
  const today = todayIso();

  const add = async (e: Event) => {
    e.preventDefault();
    const added = await submit(() => api.followUpAdd(meeting.id, inputOf(text, responsible, due)));
    if (added) {
      setText("");
      setResponsible("");
      setDue("");
      props.onChanged();
    }
  };
  const change = async (f: FollowUp, input: FollowUpInput) => {
    setError(null);
    try {
      await api.followUpEdit(f.id, input);
      props.onChanged();
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const remove = async (f: FollowUp) => {
    setRemoving(null);
    setError(null);
    try {
      await api.followUpRemove(f.id);
      props.onChanged();
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const who = (f: FollowUp) =>
    f.member_id ? pick(lang, f.member_name_ja, f.member_name_en) : officeName(props.offices, f.office_code, lang);

  return (
    <div class="follow-ups" data-testid="follow-ups">
      <h2>{t("follow_ups.title")}</h2>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="follow-up-table">
        <thead>
          <tr>
            <th>{t("follow_ups.col.text")}</th>
            <th>{t("follow_ups.col.responsible")}</th>
            <th>{t("follow_ups.col.due_on")}</th>
            <th>{t("follow_ups.col.status")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {follow_ups.map((f) => {
            const overdue = f.status === "open" && !!f.due_on && f.due_on < today;
            return (
              <tr data-follow-up-id={f.id} class={overdue ? "overdue" : undefined}>
                <td class="topic">{f.text}</td>
                <td>{who(f)}</td>
                <td class="nowrap">
                  {formatDate(f.due_on, lang)}
                  {overdue && <small class="overdue-mark">{t("follow_ups.overdue")}</small>}
                </td>
                <td>
                  <span class={`status status-${f.status}`}>{label(choices.follow_up_statuses, f.status, lang)}</span>
                  {f.done_on && <small class="reading">{formatDate(f.done_on, lang)}</small>}
                </td>
                <td class="row-actions">
                  {f.status === "open" ? (
                    <button
                      type="button"
                      {...guard}
                      data-testid="follow-up-done"
                      onClick={() => void change(f, { status: "done" })}
                    >
                      {t("follow_ups.mark_done")}
                    </button>
                  ) : (
                    <button type="button" {...guard} onClick={() => void change(f, { status: "open" })}>
                      {t("follow_ups.reopen")}
                    </button>
                  )}
                  <button type="button" class="danger" {...guard} onClick={() => setRemoving(f)}>
                    {t("common.remove")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {follow_ups.length === 0 && <p class="empty">{t("follow_ups.none")}</p>}
      <form class="form card follow-up-form" onSubmit={add} noValidate data-testid="follow-up-form">
        <h3>{t("follow_ups.add")}</h3>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("follow_ups.col.text")} error={errors.text} wide>
            <input name="text" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </Field>
          <Field label={t("follow_ups.col.responsible")} error={errors.responsible}>
            <select
              name="responsible"
              value={responsible}
              onChange={(e) => setResponsible((e.target as HTMLSelectElement).value)}
            >
              <option value="">{t("common.none")}</option>
              <optgroup label={t("follow_ups.offices")}>
                {props.offices.map((o) => (
                  <option value={`office:${o.code}`}>{pick(lang, o.name_ja, o.name_en)}</option>
                ))}
              </optgroup>
              <optgroup label={t("follow_ups.members_present")}>
                {attendees
                  .filter((a) => a.member_id)
                  .map((a) => (
                    <option value={`member:${a.member_id}`}>{pick(lang, a.name_ja, a.name_en)}</option>
                  ))}
              </optgroup>
            </select>
          </Field>
          <Field label={t("follow_ups.col.due_on")} error={errors.due_on}>
            <input
              name="due_on"
              placeholder="YYYY-MM-DD"
              value={due}
              onInput={(e) => setDue((e.target as HTMLInputElement).value)}
            />
          </Field>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || guard.disabled} data-testid="follow-up-save">
            {t("follow_ups.add")}
          </button>
        </div>
      </form>
      {removing && (
        <Confirm
          message={t("follow_ups.remove_confirm", { text: removing.text })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}
