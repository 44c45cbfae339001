// One offer's or one need's page: what it is and what is left of it, the
// ranked suggestions on the other side with their reasons, each of which a
// click proposes and accepts as a match, and its matches with their steps.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Match } from "../bindings/Match";
import type { NeedDetail } from "../bindings/NeedDetail";
import type { OfferDetail } from "../bindings/OfferDetail";
import type { Suggestion } from "../bindings/Suggestion";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { formatCount, formatDate } from "../format";
import { pick, useI18n } from "../i18n";
import { parseQuantity, points, reasonText, withUnit } from "../matching";
import { MatchTable, needFor, offerWhat, placeText } from "./MatchingParts";
import { NeedForm } from "./MatchingNeeds";
import { OfferForm } from "./MatchingOffers";

/** A figure of the page's head: label over number. */
function Figure(props: { name: string; label: string; value: number; warn?: boolean }) {
  const { lang } = useI18n();
  return (
    <div class={"figure" + (props.warn ? " warn" : "")} data-figure={props.name}>
      <span class="label">{props.label}</span>
      <span class="num">{formatCount(props.value, lang)}</span>
    </div>
  );
}

/** Proposes a suggested match and accepts it at once, for what the offer
 * has left or the need lacks (whichever is less), or a quantity typed. */
function AcceptDialog(props: { suggestion: Suggestion; onDone: (m: Match) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const s = props.suggestion;
  const [quantity, setQuantity] = useState(String(s.quantity));
  const [notes, setNotes] = useState("");
  const { errors, general, busy, submit } = useSubmit(["quantity", "notes"]);
  const save = async (e: Event) => {
    e.preventDefault();
    const done = await submit(async () => {
      const q = parseQuantity(quantity);
      if (q === null) {
        throw { code: "invalid_input", message: `quantity: ${t("matching.quantity_invalid")}`, field: "quantity" };
      }
      const proposed = await api.matchPropose({
        offer: s.offer.id,
        need: s.need.id,
        quantity: q,
        notes: notes.trim() || undefined,
      });
      return api.matchAccept(proposed.id, {});
    });
    if (done) props.onDone(done);
  };
  return (
    <Modal title={t("matching.accept_title")} onCancel={props.onCancel} testId="accept-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <p>
          {s.offer.source_label}: {offerWhat(s.offer, choices.offer_categories, lang)} → {needFor(s.need, lang)}
        </p>
        <div class="form-grid">
          <Field label={t("matching.step_field.quantity")} error={errors.quantity}>
            <input
              name="quantity"
              inputMode="numeric"
              value={quantity}
              onInput={(e) => setQuantity((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field label={t("matching.step_field.notes")} error={errors.notes}>
            <input name="notes" value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />
          </Field>
        </div>
        <p class="hint">{t("matching.accept_hint")}</p>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="accept-save">
            {t("matching.accept")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The ranked suggestions for one side: the other side's record, the score,
 * and each reason with what it adds. */
function Suggestions(props: { side: "need" | "offer"; id: string; reload: number; onAccepted: () => void }) {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights()("matches");
  const [rows, setRows] = useState<Suggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<Suggestion | null>(null);
  useEffect(() => {
    const ask = props.side === "need" ? api.needSuggest(props.id) : api.offerSuggest(props.id);
    ask.then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(toFailure(e).message),
    );
  }, [props.side, props.id, props.reload]);
  return (
    <section class="suggestions" data-testid="suggestions">
      <h2>{t(props.side === "need" ? "matching.suggestions_for_need" : "matching.suggestions_for_offer")}</h2>
      <ErrorBanner message={error} />
      {rows && rows.length === 0 && <p class="empty">{t("matching.no_suggestions")}</p>}
      {rows && rows.length > 0 && (
        <ol class="suggestion-list">
          {rows.map((s) => {
            const other = props.side === "need" ? s.offer.id : s.need.id;
            const unit = s.offer.unit ?? s.need.unit;
            return (
              <li class="suggestion" data-testid="suggestion" data-suggestion={other}>
                <div class="suggestion-head">
                  <span class="score" title={t("matching.score")} data-testid="suggestion-score">
                    {s.score.toFixed(1)}
                  </span>
                  <span class="suggestion-who">
                    {props.side === "need" ? (
                      <button type="button" class="link" onClick={() => go({ screen: "offer", id: s.offer.id })}>
                        {s.offer.source_label}
                      </button>
                    ) : (
                      <button type="button" class="link" onClick={() => go({ screen: "need", id: s.need.id })}>
                        {needFor(s.need, lang)}
                      </button>
                    )}
                    <small class="reading">
                      {props.side === "need"
                        ? `${offerWhat(s.offer, choices.offer_categories, lang)} · ${placeText(s.offer, choices.prefectures, lang)}`
                        : `${label(choices.urgencies, s.need.urgency, lang)} · ${placeText(s.need, choices.prefectures, lang)}`}
                    </small>
                  </span>
                  <span class="suggestion-quantity num">{withUnit(s.quantity, unit, lang)}</span>
                  <button
                    type="button"
                    class="primary"
                    data-testid="suggestion-accept"
                    {...guard}
                    onClick={() => setAccepting(s)}
                  >
                    {t("matching.accept")}
                  </button>
                </div>
                <ul class="reasons">
                  {s.reasons.map((r) => (
                    <li data-reason={r.code}>
                      {reasonText(r, lang, choices.urgencies, unit)} <small class="points">{points(r.points)}</small>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
      {accepting && (
        <AcceptDialog
          suggestion={accepting}
          onCancel={() => setAccepting(null)}
          onDone={() => {
            setAccepting(null);
            props.onAccepted();
          }}
        />
      )}
    </section>
  );
}

function Row(props: { k: string; name: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{props.name}</dt>
      <dd data-field={props.k}>{props.children}</dd>
    </>
  );
}

/** Loads a detail, again whenever `reload` changes. */
function useDetail<D>(load: (id: string) => Promise<D>, id: string) {
  const [detail, setDetail] = useState<D | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    load(id).then(setDetail, (e) => setError(toFailure(e).message));
  }, [id, reload]);
  return { detail, setDetail, error, setError, reload, again: () => setReload((n) => n + 1) };
}

/** What an offer's or a need's page keeps: the record, its edit and remove
 * dialogs, and the way back to its tab. */
function useRecordPage<T>(
  load: (id: string) => Promise<T>,
  removeRecord: (id: string) => Promise<unknown>,
  id: string,
  tab: "offers" | "needs",
) {
  const { go, recountConflicts } = useApp();
  const d = useDetail<T>(load, id);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const back = () => go({ screen: "matching", tab });
  const changed = () => {
    d.again();
    recountConflicts?.();
  };
  const remove = async () => {
    setConfirming(false);
    try {
      await removeRecord(id);
      back();
    } catch (e) {
      d.setError(toFailure(e).message);
    }
  };
  return { ...d, editing, setEditing, confirming, setConfirming, back, changed, remove };
}

export function OfferPage(props: { id: string }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("offers");
  const { detail, setDetail, error, reload, editing, setEditing, confirming, setConfirming, back, changed, remove } =
    useRecordPage<OfferDetail>(api.offerShow, api.offerRemove, props.id, "offers");
  if (!detail) return error ? <ErrorBanner message={error} /> : <p class="loading">{t("common.loading")}</p>;
  const o = detail.offer;
  const what = offerWhat(o, choices.offer_categories, lang);
  return (
    <section data-testid="offer-page">
      <button type="button" class="link" onClick={back}>
        ← {t("matching.back")}
      </button>
      <div class="head">
        <h1>
          <span data-testid="offer-title">{what}</span> <small>{o.source_label}</small>
          {o.over_committed && <span class="over-mark inline">{t("matching.over_committed")}</span>}
        </h1>
        <span class="head-actions">
          <button type="button" {...guard} onClick={() => setEditing(true)} data-testid="offer-edit">
            {t("common.edit")}
          </button>
          <button type="button" class="danger" {...guard} onClick={() => setConfirming(true)}>
            {t("common.remove")}
          </button>
        </span>
      </div>
      <ErrorBanner message={error} />
      <div class="figures-row" data-testid="offer-figures">
        <Figure name="quantity" label={t("matching.offer_field.quantity")} value={o.quantity} />
        <Figure name="committed" label={t("matching.offer_field.committed")} value={o.committed} />
        <Figure name="delivered" label={t("matching.offer_field.delivered")} value={o.delivered} />
        <Figure
          name="remaining"
          label={t("matching.offer_field.remaining")}
          value={o.remaining}
          warn={o.over_committed}
        />
      </div>
      <dl class="details">
        <Row k="source_kind" name={t("matching.offer_field.source_kind")}>
          {o.source_kind ? label(choices.offer_source_kinds, o.source_kind, lang) : ""}
        </Row>
        <Row k="place" name={t("matching.offer_field.place")}>
          {placeText(o, choices.prefectures, lang)}
        </Row>
        <Row k="offered_on" name={t("matching.offer_field.offered_on")}>
          {formatDate(o.offered_on, lang)}
        </Row>
        <Row k="available_until" name={t("matching.offer_field.available_until")}>
          {formatDate(o.available_until, lang)}
          {o.expired && <span class="overdue-mark">{t("matching.expired")}</span>}
        </Row>
        {o.description && (
          <Row k="description" name={t("matching.offer_field.description")}>
            {o.description}
          </Row>
        )}
        {o.conditions && (
          <Row k="conditions" name={t("matching.offer_field.conditions")}>
            {o.conditions}
          </Row>
        )}
      </dl>
      <Suggestions side="offer" id={o.id} reload={reload} onAccepted={changed} />
      <h2>{t("matching.matches")}</h2>
      <MatchTable matches={detail.matches} hide="offer" onChanged={changed} testId="offer-matches" />
      {editing && (
        <OfferForm
          offer={o}
          onCancel={() => setEditing(false)}
          onSaved={(d) => {
            setEditing(false);
            setDetail(d);
          }}
        />
      )}
      {confirming && (
        <Confirm
          message={t("matching.offer_remove_confirm", { what, source: o.source_label })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}

export function NeedPage(props: { id: string }) {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights()("needs");
  const { detail, setDetail, error, reload, editing, setEditing, confirming, setConfirming, back, changed, remove } =
    useRecordPage<NeedDetail>(api.needShow, api.needRemove, props.id, "needs");
  if (!detail) return error ? <ErrorBanner message={error} /> : <p class="loading">{t("common.loading")}</p>;
  const n = detail.need;
  const what = offerWhat(n, choices.offer_categories, lang);
  return (
    <section data-testid="need-page">
      <button type="button" class="link" onClick={back}>
        ← {t("matching.back")}
      </button>
      <div class="head">
        <h1>
          <span data-testid="need-title">{what}</span> <small>{needFor(n, lang)}</small>
        </h1>
        <span class="head-actions">
          <button type="button" {...guard} onClick={() => setEditing(true)} data-testid="need-edit">
            {t("common.edit")}
          </button>
          <button type="button" class="danger" {...guard} onClick={() => setConfirming(true)}>
            {t("common.remove")}
          </button>
        </span>
      </div>
      <ErrorBanner message={error} />
      <div class="figures-row" data-testid="need-figures">
        <Figure name="quantity" label={t("matching.need_field.quantity")} value={n.quantity} />
        <Figure name="committed" label={t("matching.need_field.committed")} value={n.committed} />
        <Figure name="delivered" label={t("matching.need_field.delivered")} value={n.delivered} />
        <Figure name="remaining" label={t("matching.need_field.remaining")} value={n.remaining} />
      </div>
      <dl class="details">
        <Row k="urgency" name={t("matching.need_field.urgency")}>
          <span class={`urgency urgency-${n.urgency}`}>{label(choices.urgencies, n.urgency, lang)}</span>
        </Row>
        <Row k="place" name={t("matching.need_field.place")}>
          {placeText(n, choices.prefectures, lang)}
        </Row>
        <Row k="raised_on" name={t("matching.need_field.raised_on")}>
          {formatDate(n.raised_on, lang)}
        </Row>
        {n.needed_by && (
          <Row k="needed_by" name={t("matching.need_field.needed_by")}>
            {formatDate(n.needed_by, lang)}
          </Row>
        )}
        {n.description && (
          <Row k="description" name={t("matching.need_field.description")}>
            {n.description}
          </Row>
        )}
        {n.member_id && (
          <Row k="member" name={t("matching.need_field.member")}>
            <button type="button" class="link" onClick={() => go({ screen: "member", id: n.member_id ?? "" })}>
              {pick(lang, n.member_name_ja, n.member_name_en)}
            </button>
          </Row>
        )}
      </dl>
      <Suggestions side="need" id={n.id} reload={reload} onAccepted={changed} />
      <h2>{t("matching.matches")}</h2>
      <MatchTable matches={detail.matches} hide="need" onChanged={changed} testId="need-matches" />
      {editing && (
        <NeedForm
          need={n}
          onCancel={() => setEditing(false)}
          onSaved={(d) => {
            setEditing(false);
            setDetail(d);
          }}
        />
      )}
      {confirming && (
        <Confirm
          message={t("matching.need_remove_confirm", { what })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
