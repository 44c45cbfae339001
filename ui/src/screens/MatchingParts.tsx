// What the matching screens share: the pickers of a source, a member or a
// site, the table of matches with the steps each may take, and the dialog
// that takes one step (with its quantity where the step has one).
import { useState } from "preact/hooks";
import { api } from "../api";
import { label, useApp } from "../app-context";
import type { FundDonor } from "../bindings/FundDonor";
import type { Match } from "../bindings/Match";
import type { Member } from "../bindings/Member";
import type { Need } from "../bindings/Need";
import type { Offer } from "../bindings/Offer";
import type { Organisation } from "../bindings/Organisation";
import type { Site } from "../bindings/Site";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { TypeAhead } from "../components/TypeAhead";
import { useSubmit } from "../form";
import { formatDate } from "../format";
import { type Lang, pick, useI18n } from "../i18n";
import type { MatchAction } from "../bindings/MatchAction";
import { parseQuantity, withUnit } from "../matching";
import { officeName, useOffices } from "../offices";

/** A record chosen in a picker, shown as a chip. */
export type Picked = { id: string; label: string };

/** How many candidates one search offers. */
const CANDIDATES = 8;

/** 東京都 千代田区 / Chiyoda, Tokyo: each language's order of a place. */
export function placeText(
  x: { prefecture_code: string | null; municipality: string | null },
  prefectures: { code: string; ja: string; en: string }[],
  lang: Lang,
): string {
  const pref = x.prefecture_code ? label(prefectures, x.prefecture_code, lang) : "";
  const parts = lang === "ja" ? [pref, x.municipality ?? ""] : [x.municipality ?? "", pref];
  return parts.filter(Boolean).join(lang === "ja" ? " " : ", ");
}

/** Who a need is for: the member, and the site when there is one. */
export function needFor(n: Need, lang: Lang): string {
  const member = pick(lang, n.member_name_ja, n.member_name_en);
  return [member, n.site_name ?? ""].filter(Boolean).join(" / ");
}

/** An offer in a few words: "Computers ×50 台". */
export function offerWhat(
  o: Pick<Offer, "category" | "quantity" | "unit">,
  categories: { code: string; ja: string; en: string }[],
  lang: Lang,
): string {
  return `${label(categories, o.category, lang)} ${withUnit(o.quantity, o.unit, lang)}`;
}

export function memberLabel(m: Pick<Member, "member_no" | "name_ja" | "name_en">, lang: Lang): string {
  return `${m.member_no} ${pick(lang, m.name_ja, m.name_en)}`;
}

function twoNames(ja: string | null | undefined, en: string | null | undefined, lang: Lang): string {
  const main = pick(lang, ja, en);
  const other = lang === "ja" ? en : ja;
  return other && other !== main ? `${main} (${other})` : main;
}

type Kind = "member" | "organisation" | "donor" | "site";
type Candidate = { id: string; main: string; sub: string };

function searchFor(kind: Kind, lang: Lang): (typed: string) => Promise<Candidate[]> {
  switch (kind) {
    case "member":
      return (typed) =>
        api.memberList({ search: typed, limit: CANDIDATES }).then((p) =>
          p.rows.map((m: Member) => ({
            id: m.id,
            main: memberLabel(m, lang),
            sub: pick(lang, m.name_en, m.name_ja),
          })),
        );
    case "organisation":
      return (typed) =>
        api.organisationList({ search: typed, limit: CANDIDATES }).then((p) =>
          p.rows.map((o: Organisation) => ({
            id: o.id,
            main: twoNames(o.name_ja, o.name_en, lang),
            sub: o.reading ?? "",
          })),
        );
    case "donor":
      return (typed) =>
        api.donorList({ search: typed, limit: CANDIDATES }).then((p) =>
          p.rows.map((d: FundDonor) => ({
            id: d.id,
            main: twoNames(d.name_ja, d.name_en, lang),
            sub: d.reading ?? "",
          })),
        );
    case "site":
      return (typed) =>
        api.siteList({ search: typed, limit: CANDIDATES }).then((p) =>
          p.rows.map((s: Site) => ({
            id: s.id,
            main: s.name,
            sub: pick(lang, s.member_name_ja, s.member_name_en),
          })),
        );
  }
}

/** A member, organisation, fund donor or site chosen by type-ahead over the
 * core's search, then shown as a chip that can be changed. */
export function RecordPicker(props: {
  kind: Kind;
  name: string;
  label: string;
  picked: Picked | null;
  onPick: (p: Picked | null) => void;
  onError: (m: string) => void;
}) {
  const { t, lang } = useI18n();
  if (props.picked) {
    return (
      <span class="picked" data-testid={`${props.name}-picked`}>
        {props.picked.label}
        <button type="button" class="link" onClick={() => props.onPick(null)}>
          {t("directory.change")}
        </button>
      </span>
    );
  }
  return (
    <TypeAhead<Candidate>
      name={props.name}
      label={props.label}
      search={searchFor(props.kind, lang)}
      keyOf={(c) => c.id}
      onError={props.onError}
      onPick={async (c) => {
        // A site is named with its member, which the need then gets.
        props.onPick({ id: c.id, label: props.kind === "site" && c.sub ? `${c.main} (${c.sub})` : c.main });
        return true;
      }}
      render={(c) => (
        <span class="candidate">
          <span class="name-ja">{c.main}</span>
          <span class="name-en">{c.sub}</span>
        </span>
      )}
    />
  );
}

const STEP_FIELDS = ["quantity", "on", "notes"];
const WITH_QUANTITY: MatchAction[] = ["accept", "deliver", "reduce"];

/** One step of a match: the quantity (the match's by default: a delivery
 * of all of it), the date (today when left empty) and a note. */
export function StepDialog(props: {
  match: Match;
  action: MatchAction;
  onDone: (m: Match) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const m = props.match;
  const a = props.action;
  const [quantity, setQuantity] = useState(String(m.quantity));
  const [on, setOn] = useState("");
  const [notes, setNotes] = useState("");
  const { errors, general, busy, submit } = useSubmit(STEP_FIELDS);
  const hasQuantity = WITH_QUANTITY.includes(a);
  const save = async (e: Event) => {
    e.preventDefault();
    const done = await submit(async () => {
      const q = parseQuantity(quantity);
      if (hasQuantity && q === null) {
        throw { code: "invalid_input", message: `quantity: ${t("matching.quantity_invalid")}`, field: "quantity" };
      }
      const step = { on: on.trim() || undefined, quantity: q ?? undefined, notes: notes.trim() || undefined };
      switch (a) {
        case "accept":
          return api.matchAccept(m.id, step);
        case "deliver":
          return api.matchDeliver(m.id, step);
        case "decline":
          return api.matchDecline(m.id, { on: step.on, notes: step.notes });
        case "cancel":
          return api.matchCancel(m.id, { on: step.on, notes: step.notes });
        case "reduce":
          return api.matchReduce(m.id, q ?? 0);
      }
    });
    if (done) props.onDone(done);
  };
  return (
    <Modal title={t(`matching.step_title.${a}`)} onCancel={props.onCancel} testId="match-step-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <p>
          {m.offer_source} → {pick(lang, m.member_name_ja, m.member_name_en)}:{" "}
          <strong>{withUnit(m.quantity, m.unit, lang)}</strong>
        </p>
        <div class="form-grid">
          {hasQuantity && (
            <Field label={t("matching.step_field.quantity")} error={errors.quantity}>
              <input
                name="quantity"
                inputMode="numeric"
                value={quantity}
                onInput={(e) => setQuantity((e.target as HTMLInputElement).value)}
              />
            </Field>
          )}
          {a !== "reduce" && (
            <Field label={t("matching.step_field.on")} error={errors.on}>
              <input
                name="on"
                placeholder="YYYY-MM-DD"
                value={on}
                onInput={(e) => setOn((e.target as HTMLInputElement).value)}
              />
            </Field>
          )}
          {a !== "reduce" && (
            <Field label={t("matching.step_field.notes")} error={errors.notes} wide>
              <input name="notes" value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />
            </Field>
          )}
        </div>
        <p class="hint">{t(`matching.step_hint.${a}`)}</p>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button
            type="submit"
            class={a === "decline" || a === "cancel" ? "primary danger-fill" : "primary"}
            disabled={busy}
            data-testid="match-step-save"
          >
            {t(`matching.step_title.${a}`)}
          </button>
        </div>
      </form>
    </Modal>
  );
}

const ACTION_LABEL = {
  accept: "matching.accept_match",
  deliver: "matching.deliver",
  decline: "matching.decline",
  cancel: "matching.cancel_match",
  reduce: "matching.reduce",
} as const;

/** The last step a match took: when, and which office acted. */
function lastStep(m: Match): { on: string | null; by: string | null } {
  if (m.closed_on) return { on: m.closed_on, by: m.closed_by_code };
  if (m.delivered_on) return { on: m.delivered_on, by: m.delivered_by_code };
  if (m.accepted_on) return { on: m.accepted_on, by: m.accepted_by_code };
  return { on: m.proposed_on, by: m.proposed_by_code };
}

/** Matches with the steps each may take; `show` leaves out a column the
 * page already says (the offer on an offer's page, the need on a need's). */
export function MatchTable(props: {
  matches: Match[];
  onChanged: (m: Match) => void;
  hide?: "offer" | "need";
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const offices = useOffices();
  const [step, setStep] = useState<{ match: Match; action: MatchAction } | null>(null);
  return (
    <>
      <table class="grid" data-testid={props.testId ?? "match-table"}>
        <thead>
          <tr>
            {props.hide !== "offer" && <th>{t("matching.match_col.offer")}</th>}
            {props.hide !== "need" && <th>{t("matching.match_col.need")}</th>}
            <th class="num">{t("matching.match_col.quantity")}</th>
            <th>{t("matching.match_col.status")}</th>
            <th>{t("matching.match_col.proposed_on")}</th>
            <th>{t("matching.match_col.last_step")}</th>
            <th class="num">{t("matching.match_col.delivered")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.matches.map((m) => {
            const last = lastStep(m);
            return (
              <tr data-match-id={m.id} data-status={m.status}>
                {props.hide !== "offer" && (
                  <td>
                    <button type="button" class="link" onClick={() => go({ screen: "offer", id: m.offer_id })}>
                      {m.category ? label(choices.offer_categories, m.category, lang) : ""}
                    </button>
                    <small class="reading">{m.offer_source}</small>
                  </td>
                )}
                {props.hide !== "need" && (
                  <td>
                    <button type="button" class="link" onClick={() => go({ screen: "need", id: m.need_id })}>
                      {pick(lang, m.member_name_ja, m.member_name_en) || t("matching.match_col.need")}
                    </button>
                  </td>
                )}
                <td class="num nowrap match-quantity">{withUnit(m.quantity, m.unit, lang)}</td>
                <td>
                  <span class={`status status-${m.status}`}>{label(choices.match_statuses, m.status, lang)}</span>
                </td>
                <td class="nowrap">{formatDate(m.proposed_on, lang)}</td>
                <td class="nowrap">
                  {last.on
                    ? t("matching.step_by", {
                        date: formatDate(last.on, lang),
                        office: officeName(offices, last.by, lang),
                      })
                    : ""}
                </td>
                <td class="num">{m.delivered_quantity ?? ""}</td>
                <td class="row-actions">
                  {m.actions.map((a) => (
                    <button
                      type="button"
                      data-action={a}
                      class={a === "decline" || a === "cancel" ? "danger" : undefined}
                      onClick={() => setStep({ match: m, action: a })}
                    >
                      {t(ACTION_LABEL[a])}
                    </button>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.matches.length === 0 && <p class="empty">{t("matching.no_matches")}</p>}
      {step && (
        <StepDialog
          match={step.match}
          action={step.action}
          onCancel={() => setStep(null)}
          onDone={(m) => {
            setStep(null);
            props.onChanged(m);
          }}
        />
      )}
    </>
  );
}
