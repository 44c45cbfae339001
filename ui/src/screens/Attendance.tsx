import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useRights } from "../app-context";
import type { AttendInput } from "../bindings/AttendInput";
import type { AttendeeCandidate } from "../bindings/AttendeeCandidate";
import type { MeetingDetail } from "../bindings/MeetingDetail";
import { TypeAhead } from "../components/TypeAhead";
import { useI18n } from "../i18n";

/** The candidates one attendee search offers. */
const CANDIDATES = 8;

/** Who came: typed in, one organisation at a time, each recorded at once. */
export function Attendance(props: { detail: MeetingDetail; onChanged: (d: MeetingDetail) => void }) {
  const { t } = useI18n();
  const guard = useRights()("meeting_attendance");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { meeting, attendees } = props.detail;
  const attending = new Set(attendees.flatMap((a) => [a.member_id, a.organisation_id]).filter(Boolean));

  const attend = async (input: AttendInput) => {
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await api.meetingAttend(meeting.id, input));
      return true;
    } catch (e) {
      setError(toFailure(e).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const pick = (c: AttendeeCandidate) => attend(c.kind === "member" ? { members: [c.id] } : { organisations: [c.id] });
  const unattend = async (attendee: string) => {
    setError(null);
    try {
      props.onChanged(await api.meetingUnattend(meeting.id, attendee));
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  return (
    <div class="attendance" data-testid="attendance">
      <div class="head">
        <h2>
          {t("attendance.title")} (<span data-testid="attendee-count">{attendees.length}</span>)
        </h2>
      </div>
      <TypeAhead<AttendeeCandidate>
        name="attendee"
        label={t("attendance.type_ahead")}
        search={(typed) => api.attendeeSearch(typed, CANDIDATES)}
        keyOf={(c) => c.id}
        onPick={pick}
        onError={setError}
        disabled={guard.disabled}
        title={guard.title}
        render={(c) => (
          <span class="candidate" data-kind={c.kind}>
            <span class={`kind kind-${c.kind}`}>
              {t(`attendance.kind.${c.kind === "member" ? "member" : "other"}`)}
            </span>
            <span class="mono no">{c.member_no ?? ""}</span>
            <span class="name-ja">{c.name_ja}</span>
            <span class="name-en">{c.name_en ?? ""}</span>
            {attending.has(c.id) && <span class="already">{t("attendance.already")}</span>}
          </span>
        )}
        none={(typed, done) => (
          <button
            type="button"
            class="new-org"
            data-testid="attendee-new-org"
            disabled={busy}
            onClick={async () => {
              if (await attend({ new_organisation: { name_ja: typed.trim() } })) done();
            }}
          >
            {t("attendance.add_new", { name: typed.trim() })}
          </button>
        )}
      />
      {error && (
        <span class="field-error" role="alert" data-testid="attendance-error">
          {error}
        </span>
      )}
      <table class="grid" data-testid="attendee-table">
        <thead>
          <tr>
            <th>{t("attendance.col.kind")}</th>
            <th>{t("attendance.col.member_no")}</th>
            <th>{t("attendance.col.name_ja")}</th>
            <th>{t("attendance.col.name_en")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {attendees.map((a) => (
            <tr data-attendee-id={a.id} data-kind={a.member_id ? "member" : "organisation"}>
              <td>
                <span class={`kind kind-${a.member_id ? "member" : "organisation"}`}>
                  {t(`attendance.kind.${a.member_id ? "member" : "other"}`)}
                </span>
              </td>
              <td class="mono">{a.member_no ?? ""}</td>
              <td class="name-ja">{a.name_ja}</td>
              <td>{a.name_en !== a.name_ja ? a.name_en : ""}</td>
              <td class="row-actions">
                <button
                  type="button"
                  class="danger"
                  {...guard}
                  data-testid="attendee-remove"
                  onClick={() => void unattend(a.id)}
                >
                  {t("common.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {attendees.length === 0 && <p class="empty">{t("attendance.none")}</p>}
    </div>
  );
}
