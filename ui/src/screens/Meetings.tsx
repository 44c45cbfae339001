import { useEffect, useRef, useState } from "preact/hooks";
import { api, latestOnly } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Choice } from "../bindings/Choice";
import type { Meeting } from "../bindings/Meeting";
import { ErrorBanner } from "../components/ErrorBanner";
import { Pager } from "../components/Pager";
import { formatCount, formatDate } from "../format";
import { type Lang, pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { officeName, useOffices } from "../offices";
import { markInput } from "../timing";
import { MeetingForm } from "./MeetingForm";

const LIMIT = 50;
const listMeetings = latestOnly(api.meetingList);

/** 宮城県 石巻市 / 石巻市, Miyagi: each language's order of an address. */
export function place(prefectures: Choice[], m: Meeting, lang: Lang): string {
  const pref = m.prefecture_code ? label(prefectures, m.prefecture_code, lang) : "";
  const parts = lang === "ja" ? [pref, m.municipality ?? ""] : [m.municipality ?? "", pref];
  return parts.filter(Boolean).join(lang === "ja" ? " " : ", ");
}

/** Coordination meetings, newest first, searched and filtered by the core. */
export function MeetingsScreen() {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights();
  const offices = useOffices();
  const [search, setSearch] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [office, setOffice] = useState("");
  const [offset, setOffset] = useState(0);
  const [adding, setAdding] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);

  const { page, error } = usePagedList(
    "meetings",
    () => listMeetings({ search, from, to, office, offset, limit: LIMIT }),
    [search, from, to, office, offset],
  );

  useEffect(() => searchBox.current?.focus(), []);

  const text = (setter: (v: string) => void) => (e: Event) => {
    setter((e.target as HTMLInputElement).value);
    setOffset(0);
  };
  const open = (id: string) => go({ screen: "meeting", id });

  return (
    <section data-testid="meetings">
      <div class="head">
        <h1>{t("meetings.title")}</h1>
        <button
          type="button"
          class="primary"
          data-testid="meeting-add"
          {...guard("meetings")}
          onClick={() => setAdding(true)}
        >
          {t("meetings.add")}
        </button>
      </div>
      <div class="filters">
        <input
          ref={searchBox}
          type="search"
          name="search"
          placeholder={t("meetings.search")}
          aria-label={t("meetings.search")}
          value={search}
          onInput={(e) => {
            markInput();
            text(setSearch)(e);
          }}
        />
        <label class="choice">
          {t("meetings.from")}
          <input name="from" class="date" placeholder="YYYY-MM-DD" value={from} onChange={text(setFrom)} />
        </label>
        <label class="choice">
          {t("meetings.to")}
          <input name="to" class="date" placeholder="YYYY-MM-DD" value={to} onChange={text(setTo)} />
        </label>
        <select name="office" aria-label={t("meetings.office")} value={office} onChange={text(setOffice)}>
          <option value="">{t("meetings.all_offices")}</option>
          {offices.map((o) => (
            <option value={o.code}>{pick(lang, o.name_ja, o.name_en)}</option>
          ))}
        </select>
        {page && <span class="count">{t("meetings.count", { n: formatCount(Number(page.total), lang) })}</span>}
      </div>
      <ErrorBanner message={error} />
      <table class="grid rows" data-testid="meeting-table">
        <thead>
          <tr>
            <th>{t("meetings.col.held_on")}</th>
            <th>{t("meetings.col.topic")}</th>
            <th>{t("meetings.col.kind")}</th>
            <th>{t("meetings.col.office")}</th>
            <th>{t("meetings.col.place")}</th>
            <th class="num">{t("meetings.col.organisations")}</th>
            <th class="num">{t("meetings.col.open_follow_ups")}</th>
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((m) => (
            <tr
              tabIndex={0}
              data-meeting-id={m.id}
              onClick={() => open(m.id)}
              onKeyDown={(e) => e.key === "Enter" && open(m.id)}
            >
              <td class="nowrap">
                {formatDate(m.held_on, lang)}
                {m.start_time ? <small class="reading">{m.start_time}</small> : null}
              </td>
              <td class="topic">{pick(lang, m.topic_ja, m.topic_en)}</td>
              <td>{label(choices.meeting_kinds, m.kind, lang)}</td>
              <td>{officeName(offices, m.office_code, lang)}</td>
              <td>{place(choices.prefectures, m, lang)}</td>
              <td class="num">{m.organisations}</td>
              <td class="num">{m.open_follow_ups}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && (
        <Pager
          total={Number(page.total)}
          offset={Number(page.offset)}
          limit={Number(page.limit)}
          onOffset={setOffset}
        />
      )}
      {adding && (
        <MeetingForm
          meeting={null}
          offices={offices}
          onCancel={() => setAdding(false)}
          onSaved={(d) => {
            setAdding(false);
            open(d.meeting.id);
          }}
        />
      )}
    </section>
  );
}
