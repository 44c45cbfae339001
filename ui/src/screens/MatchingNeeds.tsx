import { useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Need } from "../bindings/Need";
import type { NeedDetail } from "../bindings/NeedDetail";
import type { NeedInput } from "../bindings/NeedInput";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { Pager } from "../components/Pager";
import { RowActions } from "../components/RowActions";
import { useSubmit } from "../form";
import { formatCount, formatDate } from "../format";
import { pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { parseQuantity, withUnit } from "../matching";
import { markInput } from "../timing";
import { type Picked, RecordPicker, needFor, offerWhat, placeText } from "./MatchingParts";
import { onRow } from "./MatchingOffers";

const LIMIT = 50;
const listNeeds = latestOnly(api.needList);

/** What members and their sites need, the most urgent first, with what each
 * still lacks (computed by the core). */
export function MatchingNeeds() {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights()("needs");
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [urgency, setUrgency] = useState("");
  const [openOnly, setOpenOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<Need | "new" | null>(null);
  const [removing, setRemoving] = useState<Need | null>(null);
  const { page, error, setError } = usePagedList(
    "needs",
    () => listNeeds({ search, category, urgency, open_only: openOnly, offset, limit: LIMIT }),
    [search, category, urgency, openOnly, offset, reload],
  );
  const remove = async (n: Need) => {
    setRemoving(null);
    try {
      await api.needRemove(n.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const select = (set: (v: string) => void) => (e: Event) => {
    set((e.target as HTMLSelectElement).value);
    setOffset(0);
  };
  const open = (id: string) => go({ screen: "need", id });
  return (
    <div data-testid="needs">
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("matching.need_search")}
          aria-label={t("matching.need_search")}
          value={search}
          onInput={(e) => {
            markInput();
            select(setSearch)(e);
          }}
        />
        <select
          name="category"
          aria-label={t("matching.need_field.category")}
          value={category}
          onChange={select(setCategory)}
        >
          <option value="">{t("matching.all_categories")}</option>
          {choices.offer_categories.map((c) => (
            <option value={c.code}>{label(choices.offer_categories, c.code, lang)}</option>
          ))}
        </select>
        <select
          name="urgency"
          aria-label={t("matching.need_field.urgency")}
          value={urgency}
          onChange={select(setUrgency)}
        >
          <option value="">{t("matching.all_urgencies")}</option>
          {choices.urgencies.map((c) => (
            <option value={c.code}>{label(choices.urgencies, c.code, lang)}</option>
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
        {page && <span class="count">{t("matching.need_count", { n: formatCount(page.total, lang) })}</span>}
        <span class="spacer" />
        <button type="button" class="primary" data-testid="need-add" {...guard} onClick={() => setForm("new")}>
          {t("matching.need_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid rows" data-testid="need-table">
        <thead>
          <tr>
            <th>{t("matching.need_field.urgency")}</th>
            <th>{t("matching.need_field.category")}</th>
            <th class="num">{t("matching.need_field.quantity")}</th>
            <th class="num">{t("matching.need_field.remaining")}</th>
            <th>{t("matching.need_field.for")}</th>
            <th>{t("matching.need_field.place")}</th>
            <th>{t("matching.need_field.needed_by")}</th>
            <th />
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((n) => (
            <tr
              tabIndex={0}
              data-need-id={n.id}
              class={n.remaining <= 0 ? "muted" : undefined}
              onClick={onRow(() => open(n.id))}
              onKeyDown={(e) => e.key === "Enter" && e.target === e.currentTarget && open(n.id)}
            >
              <td>
                <span class={`urgency urgency-${n.urgency}`}>{label(choices.urgencies, n.urgency, lang)}</span>
              </td>
              <td>
                {label(choices.offer_categories, n.category, lang)}
                {n.description ? <small class="reading">{n.description}</small> : null}
              </td>
              <td class="num nowrap">{withUnit(n.quantity, n.unit, lang)}</td>
              <td class="num nowrap remaining" data-remaining={n.remaining}>
                {formatCount(n.remaining, lang)}
                {n.over_filled && <span class="over-mark">{t("matching.over_filled")}</span>}
              </td>
              <td>{needFor(n, lang)}</td>
              <td>{placeText(n, choices.prefectures, lang)}</td>
              <td class="nowrap">{formatDate(n.needed_by, lang)}</td>
              <td class="row-actions">
                <button type="button" data-testid="need-open" onClick={() => open(n.id)}>
                  {t("matching.suggestions")}
                </button>
              </td>
              <RowActions guard={guard} onEdit={() => setForm(n)} onRemove={() => setRemoving(n)} />
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
      {form && (
        <NeedForm
          need={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={(d) => {
            setForm(null);
            if (form === "new") open(d.need.id);
            else setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("matching.need_remove_confirm", { what: offerWhat(removing, choices.offer_categories, lang) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

const TEXTS = ["description", "quantity", "unit", "municipality", "needed_by"] as const;
const FIELDS = [...TEXTS, "member", "site", "category", "urgency", "prefecture"];
const ALIASES = { prefecture_code: "prefecture" };
type Draft = Record<(typeof TEXTS)[number] | "category" | "urgency" | "prefecture", string>;

/** A need: for a member, a site of one (which gives the member, and the
 * place when none is chosen), or both. */
export function NeedForm(props: { need: Need | null; onSaved: (d: NeedDetail) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const n = props.need;
  const [d, setD] = useState<Draft>({
    category: n?.category ?? "",
    description: n?.description ?? "",
    quantity: n ? String(n.quantity) : "",
    unit: n?.unit ?? "",
    urgency: n?.urgency ?? "normal",
    prefecture: n?.prefecture_code ?? "",
    municipality: n?.municipality ?? "",
    needed_by: n?.needed_by ?? "",
  });
  const [member, setMember] = useState<Picked | null>(
    n?.member_id
      ? { id: n.member_id, label: `${n.member_no ?? ""} ${pick(lang, n.member_name_ja, n.member_name_en)}`.trim() }
      : null,
  );
  const [site, setSite] = useState<Picked | null>(n?.site_id ? { id: n.site_id, label: n.site_name ?? "" } : null);
  const { errors, general, busy, submit, setGeneral } = useSubmit(FIELDS, ALIASES);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  // On a new need an empty place is left out, so a site gives its own.
  const place = (v: string) => (n ? v : v || undefined);
  const save = async (e: Event) => {
    e.preventDefault();
    const saved = await submit(() => {
      const quantity = parseQuantity(d.quantity);
      if (d.quantity.trim() && quantity === null) {
        throw { code: "invalid_input", message: `quantity: ${t("matching.quantity_invalid")}`, field: "quantity" };
      }
      const input: NeedInput = {
        member: member?.id ?? (n ? "" : undefined),
        site: site?.id ?? (n ? "" : undefined),
        category: d.category || undefined,
        description: d.description,
        quantity: quantity ?? undefined,
        unit: d.unit,
        urgency: d.urgency,
        prefecture: place(d.prefecture),
        municipality: place(d.municipality),
        needed_by: d.needed_by,
      };
      return n ? api.needEdit(n.id, input) : api.needAdd(input);
    });
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number], placeholder?: string) => (
    <Field label={t(`matching.need_field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} placeholder={placeholder} />
    </Field>
  );
  return (
    <Modal title={t(n ? "matching.need_edit" : "matching.need_add")} onCancel={props.onCancel} testId="need-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("matching.need_field.member")} error={errors.member}>
            <RecordPicker
              kind="member"
              name="member"
              label={t("matching.pick.member")}
              picked={member}
              onPick={setMember}
              onError={setGeneral}
            />
          </Field>
          <Field label={t("matching.need_field.site")} error={errors.site}>
            <RecordPicker
              kind="site"
              name="site"
              label={t("matching.pick.site")}
              picked={site}
              onPick={setSite}
              onError={setGeneral}
            />
          </Field>
          <Field label={t("matching.need_field.category")} error={errors.category}>
            <select name="category" value={d.category} onChange={set("category")}>
              <option value="">{t("common.none")}</option>
              {choices.offer_categories.map((c) => (
                <option value={c.code}>{label(choices.offer_categories, c.code, lang)}</option>
              ))}
            </select>
          </Field>
          <Field label={t("matching.need_field.urgency")} error={errors.urgency}>
            <select name="urgency" value={d.urgency} onChange={set("urgency")}>
              {choices.urgencies.map((c) => (
                <option value={c.code}>{label(choices.urgencies, c.code, lang)}</option>
              ))}
            </select>
          </Field>
          {text("quantity")}
          {text("unit")}
          <Field label={t("matching.need_field.prefecture")} error={errors.prefecture}>
            <select name="prefecture" value={d.prefecture} onChange={set("prefecture")}>
              <option value="">{t("common.none")}</option>
              {choices.prefectures.map((p) => (
                <option value={p.code}>{label(choices.prefectures, p.code, lang)}</option>
              ))}
            </select>
          </Field>
          {text("municipality")}
          {text("needed_by", "YYYY-MM-DD")}
          <Field label={t("matching.need_field.description")} error={errors.description} wide>
            <input name="description" value={d.description} onInput={set("description")} />
          </Field>
        </div>
        <p class="hint">{t("matching.site_gives_place")}</p>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="need-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
