import { useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { FundDonor } from "../bindings/FundDonor";
import type { FundDonorInput } from "../bindings/FundDonorInput";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { Pager } from "../components/Pager";
import { RowActions } from "../components/RowActions";
import { useSubmit } from "../form";
import { formatCount } from "../format";
import { pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { markInput } from "../timing";
import { StatementForm } from "./FundPdf";

const LIMIT = 50;
const listDonors = latestOnly(api.donorList);

/** The fund's donors: searchable by name, reading or email (kana- and width-insensitive). */
export function FundDonors() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("fund_donors");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<FundDonor | "new" | null>(null);
  const [removing, setRemoving] = useState<FundDonor | null>(null);
  const [statement, setStatement] = useState<FundDonor | null>(null);
  const { page, error, setError } = usePagedList("donors", () => listDonors({ search, offset, limit: LIMIT }), [
    search,
    offset,
    reload,
  ]);
  const remove = async (d: FundDonor) => {
    setRemoving(null);
    try {
      await api.donorRemove(d.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  return (
    <div data-testid="donors">
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("fund.donor_search")}
          aria-label={t("fund.donor_search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
            setOffset(0);
          }}
        />
        {page && <span class="count">{t("fund.donor_count", { n: formatCount(page.total, lang) })}</span>}
        <span class="spacer" />
        <button type="button" class="primary" data-testid="donor-add" {...guard} onClick={() => setForm("new")}>
          {t("fund.donor_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="donor-table">
        <thead>
          <tr>
            <th>{t("fund.donor_field.name_ja")}</th>
            <th>{t("fund.donor_field.name_en")}</th>
            <th>{t("fund.donor_field.kind")}</th>
            <th>{t("fund.donor_field.country")}</th>
            <th>{t("fund.donor_field.named_consent")}</th>
            <th />
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((d) => (
            <tr data-donor-id={d.id}>
              <td>
                <span class="name-ja">{d.name_ja}</span>
                {d.reading ? <small class="reading">{d.reading}</small> : null}
              </td>
              <td>{d.name_en}</td>
              <td>{label(choices.donor_kinds, d.kind, lang)}</td>
              <td>{d.country}</td>
              <td>{d.named_consent ? t("common.yes") : t("common.no")}</td>
              <td class="row-actions">
                <button type="button" data-testid="donor-statement" onClick={() => setStatement(d)}>
                  {t("fund.statement")}
                </button>
              </td>
              <RowActions guard={guard} onEdit={() => setForm(d)} onRemove={() => setRemoving(d)} />
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
      {form && (
        <DonorForm
          donor={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
      {statement && <StatementForm donor={statement} onClose={() => setStatement(null)} />}
      {removing && (
        <Confirm
          message={t("fund.donor_remove_confirm", { name: pick(lang, removing.name_ja, removing.name_en) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

const TEXTS = ["name_ja", "name_en", "reading", "country", "email", "phone"] as const;
const FIELDS = [...TEXTS, "kind", "address", "named_consent", "notes"];
type Draft = Record<(typeof TEXTS)[number] | "kind" | "address" | "notes", string>;

export function DonorForm(props: { donor: FundDonor | null; onSaved: (d: FundDonor) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const d0 = props.donor;
  const [d, setD] = useState<Draft>({
    kind: d0?.kind ?? "person",
    name_ja: d0?.name_ja ?? "",
    name_en: d0?.name_en ?? "",
    reading: d0?.reading ?? "",
    country: d0?.country ?? "",
    email: d0?.email ?? "",
    phone: d0?.phone ?? "",
    address: d0?.address ?? "",
    notes: d0?.notes ?? "",
  });
  const [consent, setConsent] = useState(d0?.named_consent ?? false);
  const { errors, general, busy, submit } = useSubmit(FIELDS);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const save = async (e: Event) => {
    e.preventDefault();
    const input: FundDonorInput = { ...d, named_consent: consent };
    const saved = await submit(() => (d0 ? api.donorEdit(d0.id, input) : api.donorAdd(input)));
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number], type = "text") => (
    <Field label={t(`fund.donor_field.${k}`)} error={errors[k]}>
      <input name={k} type={type} value={d[k]} onInput={set(k)} />
    </Field>
  );
  return (
    <Modal title={t(d0 ? "fund.donor_edit" : "fund.donor_add")} onCancel={props.onCancel} testId="donor-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("fund.donor_field.kind")} error={errors.kind}>
            <select name="kind" value={d.kind} onChange={set("kind")}>
              {choices.donor_kinds.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("country")}
          {text("name_ja")}
          {text("name_en")}
          {text("reading")}
          {text("email", "email")}
          {text("phone", "tel")}
          <Field label={t("fund.donor_field.address")} error={errors.address} wide>
            <input name="address" value={d.address} onInput={set("address")} />
          </Field>
          <label class="choice wide">
            <input
              type="checkbox"
              name="named_consent"
              checked={consent}
              onChange={(e) => setConsent((e.target as HTMLInputElement).checked)}
            />
            {t("fund.donor_field.named_consent_long")}
          </label>
          <Field label={t("fund.donor_field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={2} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="donor-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
