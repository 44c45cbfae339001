import { useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Offer } from "../bindings/Offer";
import type { OfferDetail } from "../bindings/OfferDetail";
import type { OfferInput } from "../bindings/OfferInput";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { Pager } from "../components/Pager";
import { RowActions } from "../components/RowActions";
import { useSubmit } from "../form";
import { formatCount, formatDate } from "../format";
import { useI18n } from "../i18n";
import { usePagedList } from "../list";
import { parseQuantity, withUnit } from "../matching";
import { markInput } from "../timing";
import { type Picked, RecordPicker, offerWhat, placeText } from "./MatchingParts";

const LIMIT = 50;
const listOffers = latestOnly(api.offerList);

/** A click on a row's own button is the button's, not the row's. */
export function onRow(open: () => void) {
  return (e: Event) => {
    if ((e.target as HTMLElement).closest("button, a, input")) return;
    open();
  };
}

/** Offers from donors, companies, organisations and members, with what is
 * left of each (computed by the core); an over-committed one is marked. */
export function MatchingOffers() {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights()("offers");
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [openOnly, setOpenOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<Offer | "new" | null>(null);
  const [removing, setRemoving] = useState<Offer | null>(null);
  const { page, error, setError } = usePagedList(
    "offers",
    () => listOffers({ search, category, open_only: openOnly, offset, limit: LIMIT }),
    [search, category, openOnly, offset, reload],
  );
  const remove = async (o: Offer) => {
    setRemoving(null);
    try {
      await api.offerRemove(o.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const open = (id: string) => go({ screen: "offer", id });
  return (
    <div data-testid="offers">
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("matching.search")}
          aria-label={t("matching.search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
            setOffset(0);
          }}
        />
        <select
          name="category"
          aria-label={t("matching.offer_field.category")}
          value={category}
          onChange={(e) => {
            setCategory((e.target as HTMLSelectElement).value);
            setOffset(0);
          }}
        >
          <option value="">{t("matching.all_categories")}</option>
          {choices.offer_categories.map((c) => (
            <option value={c.code}>{label(choices.offer_categories, c.code, lang)}</option>
          ))}
        </select>
        <label class="choice">
          <input
            type="checkbox"
            name="open_only"
            checked={openOnly}
            onChange={(e) => {
              setOpenOnly((e.target as HTMLInputElement).checked);
              setOffset(0);
            }}
          />
          {t("matching.open_only")}
        </label>
        {page && <span class="count">{t("matching.offer_count", { n: formatCount(page.total, lang) })}</span>}
        <span class="spacer" />
        <button type="button" class="primary" data-testid="offer-add" {...guard} onClick={() => setForm("new")}>
          {t("matching.offer_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid rows" data-testid="offer-table">
        <thead>
          <tr>
            <th>{t("matching.offer_field.category")}</th>
            <th>{t("matching.offer_field.source")}</th>
            <th class="num">{t("matching.offer_field.quantity")}</th>
            <th class="num">{t("matching.offer_field.remaining")}</th>
            <th>{t("matching.offer_field.place")}</th>
            <th>{t("matching.offer_field.available_until")}</th>
            <th />
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((o) => (
            <tr
              tabIndex={0}
              data-offer-id={o.id}
              class={o.over_committed ? "over-committed" : o.expired ? "muted" : undefined}
              onClick={onRow(() => open(o.id))}
              onKeyDown={(e) => e.key === "Enter" && e.target === e.currentTarget && open(o.id)}
            >
              <td>
                {label(choices.offer_categories, o.category, lang)}
                {o.description ? <small class="reading">{o.description}</small> : null}
              </td>
              <td>{o.source_label}</td>
              <td class="num nowrap">{withUnit(o.quantity, o.unit, lang)}</td>
              <td class="num nowrap remaining" data-remaining={o.remaining}>
                {formatCount(o.remaining, lang)}
                {o.over_committed && (
                  <span class="over-mark" data-testid="over-committed">
                    {t("matching.over_committed")}
                  </span>
                )}
              </td>
              <td>{placeText(o, choices.prefectures, lang)}</td>
              <td class="nowrap">
                {formatDate(o.available_until, lang)}
                {o.expired && <span class="overdue-mark">{t("matching.expired")}</span>}
              </td>
              <td class="row-actions">
                <button type="button" data-testid="offer-open" onClick={() => open(o.id)}>
                  {t("matching.suggestions")}
                </button>
              </td>
              <RowActions guard={guard} onEdit={() => setForm(o)} onRemove={() => setRemoving(o)} />
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
      {form && (
        <OfferForm
          offer={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("matching.offer_remove_confirm", {
            what: offerWhat(removing, choices.offer_categories, lang),
            source: removing.source_label,
          })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

const TEXTS = [
  "source_name",
  "description",
  "quantity",
  "unit",
  "municipality",
  "latitude",
  "longitude",
  "available_until",
] as const;
const FIELDS = [...TEXTS, "source_kind", "source", "category", "prefecture", "conditions"];
/** The core names the picked record by its kind; the form shows one picker. */
const ALIASES = { donor: "source", organisation: "source", member: "source", prefecture_code: "prefecture" };
type Draft = Record<(typeof TEXTS)[number] | "source_kind" | "category" | "prefecture" | "conditions", string>;

/** Which picker a source kind uses: a company is an organisation of the directory. */
function pickerOf(kind: string): "member" | "organisation" | "donor" {
  return kind === "member" ? "member" : kind === "donor" ? "donor" : "organisation";
}

function sourceOf(o: Offer | null): Picked | null {
  if (!o || o.source_name) return null;
  const id = o.member_id ?? o.organisation_id ?? o.donor_id;
  return id ? { id, label: o.source_label } : null;
}

/** An offer: its source picked from the records by kind (member, directory
 * organisation or company, fund donor) or named in free text. */
export function OfferForm(props: { offer: Offer | null; onSaved: (d: OfferDetail) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const o = props.offer;
  const [d, setD] = useState<Draft>({
    source_kind: o?.source_kind ?? "company",
    source_name: o?.source_name ?? "",
    category: o?.category ?? "",
    description: o?.description ?? "",
    quantity: o ? String(o.quantity) : "",
    unit: o?.unit ?? "",
    prefecture: o?.prefecture_code ?? "",
    municipality: o?.municipality ?? "",
    latitude: o?.latitude == null ? "" : String(o.latitude),
    longitude: o?.longitude == null ? "" : String(o.longitude),
    available_until: o?.available_until ?? "",
    conditions: o?.conditions ?? "",
  });
  const [source, setSource] = useState<Picked | null>(sourceOf(o));
  const { errors, general, busy, submit, setGeneral } = useSubmit(FIELDS, ALIASES);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const kind = pickerOf(d.source_kind);
  const save = async (e: Event) => {
    e.preventDefault();
    const saved = await submit(() => {
      const quantity = parseQuantity(d.quantity);
      if (d.quantity.trim() && quantity === null) {
        throw { code: "invalid_input", message: `quantity: ${t("matching.quantity_invalid")}`, field: "quantity" };
      }
      const input: OfferInput = {
        source_kind: d.source_kind || undefined,
        source_name: d.source_name,
        category: d.category || undefined,
        description: d.description,
        quantity: quantity ?? undefined,
        unit: d.unit,
        prefecture: d.prefecture,
        municipality: d.municipality,
        latitude: d.latitude,
        longitude: d.longitude,
        available_until: d.available_until,
        conditions: d.conditions,
      };
      if (source) input[kind] = source.id;
      return o ? api.offerEdit(o.id, input) : api.offerAdd(input);
    });
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number], placeholder?: string) => (
    <Field label={t(`matching.offer_field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} placeholder={placeholder} />
    </Field>
  );
  return (
    <Modal title={t(o ? "matching.offer_edit" : "matching.offer_add")} onCancel={props.onCancel} testId="offer-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("matching.offer_field.source_kind")} error={errors.source_kind}>
            <select
              name="source_kind"
              value={d.source_kind}
              onChange={(e) => {
                const next = (e.target as HTMLSelectElement).value;
                if (pickerOf(next) !== kind) setSource(null);
                setD({ ...d, source_kind: next });
              }}
            >
              {choices.offer_source_kinds.map((c) => (
                <option value={c.code}>{label(choices.offer_source_kinds, c.code, lang)}</option>
              ))}
            </select>
          </Field>
          <Field label={t("matching.offer_field.source")} error={errors.source}>
            <RecordPicker
              kind={kind}
              name="source"
              label={t(`matching.pick.${kind}`)}
              picked={source}
              onPick={setSource}
              onError={setGeneral}
            />
          </Field>
          {text("source_name")}
          <Field label={t("matching.offer_field.category")} error={errors.category}>
            <select name="category" value={d.category} onChange={set("category")}>
              <option value="">{t("common.none")}</option>
              {choices.offer_categories.map((c) => (
                <option value={c.code}>{label(choices.offer_categories, c.code, lang)}</option>
              ))}
            </select>
          </Field>
          {text("quantity")}
          {text("unit")}
          <Field label={t("matching.offer_field.prefecture")} error={errors.prefecture}>
            <select name="prefecture" value={d.prefecture} onChange={set("prefecture")}>
              <option value="">{t("common.none")}</option>
              {choices.prefectures.map((p) => (
                <option value={p.code}>{label(choices.prefectures, p.code, lang)}</option>
              ))}
            </select>
          </Field>
          {text("municipality")}
          {text("latitude", "38.4344")}
          {text("longitude", "141.3029")}
          {text("available_until", "YYYY-MM-DD")}
          <Field label={t("matching.offer_field.description")} error={errors.description} wide>
            <input name="description" value={d.description} onInput={set("description")} />
          </Field>
          <Field label={t("matching.offer_field.conditions")} error={errors.conditions} wide>
            <textarea name="conditions" value={d.conditions} onInput={set("conditions")} rows={2} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="offer-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
