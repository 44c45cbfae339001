import { useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { FundDonor } from "../bindings/FundDonor";
import type { Gift } from "../bindings/Gift";
import type { GiftInput } from "../bindings/GiftInput";
import type { GiftPage } from "../bindings/GiftPage";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { Pager } from "../components/Pager";
import { RowActions } from "../components/RowActions";
import { TypeAhead } from "../components/TypeAhead";
import { useSubmit } from "../form";
import { formatCount, formatDate, formatMoney, todayIso } from "../format";
import { type Lang, pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { ReceiptForm } from "./FundPdf";

const LIMIT = 50;
/** The candidates one donor search offers. */
const CANDIDATES = 8;
const listGifts = latestOnly(api.giftList);
export const CURRENCIES = ["JPY", "USD"] as const;

/** A donor as a picker shows it. */
type Picked = { id: string; label: string };

function donorLabel(d: FundDonor, lang: Lang): string {
  const other = lang === "ja" ? d.name_en : d.name_ja;
  const main = pick(lang, d.name_ja, d.name_en);
  return other && other !== main ? `${main} (${other})` : main;
}

/** A donor chosen by type-ahead over the core's donor search, shown as a chip. */
function DonorPicker(props: {
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
    <TypeAhead<FundDonor>
      name={props.name}
      label={props.label}
      search={(typed) => api.donorList({ search: typed, limit: CANDIDATES }).then((p) => p.rows)}
      keyOf={(d) => d.id}
      onError={props.onError}
      onPick={async (d) => {
        props.onPick({ id: d.id, label: donorLabel(d, lang) });
        return true;
      }}
      render={(d) => (
        <span class="candidate">
          <span class="name-ja">{d.name_ja ?? ""}</span>
          <span class="name-en">{d.name_en ?? ""}</span>
        </span>
      )}
    />
  );
}

/** Per-currency totals of every gift the filters match (the core's). */
function Totals(props: { page: GiftPage }) {
  const { t, lang } = useI18n();
  return (
    <p class="totals" data-testid="gift-totals">
      <span>{t("fund.gift_count", { n: formatCount(props.page.total, lang) })}</span>
      {props.page.totals.length > 0 && <span class="count">{t("fund.totals")}</span>}
      {props.page.totals.map((m) => (
        <span class="num total" data-currency={m.currency}>
          {formatMoney(m, lang)}
        </span>
      ))}
    </p>
  );
}

export function FundGifts() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("gifts");
  const [donor, setDonor] = useState<Picked | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [currency, setCurrency] = useState("");
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<Gift | "new" | null>(null);
  const [removing, setRemoving] = useState<Gift | null>(null);
  const [receipt, setReceipt] = useState<Gift | null>(null);
  const [saved, setSaved] = useState<Gift | null>(null);
  const { page, error, setError } = usePagedList(
    "gifts",
    () => listGifts({ donor: donor?.id, from, to, currency, offset, limit: LIMIT }),
    [donor?.id, from, to, currency, offset, reload],
  );
  const remove = async (g: Gift) => {
    setRemoving(null);
    try {
      await api.giftRemove(g.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const filter = (set: (v: string) => void) => (e: Event) => {
    set((e.target as HTMLInputElement).value);
    setOffset(0);
  };
  return (
    <div data-testid="gifts">
      <div class="filters">
        <DonorPicker
          name="filter-donor"
          label={t("fund.filter_donor")}
          picked={donor}
          onPick={(p) => {
            setDonor(p);
            setOffset(0);
          }}
          onError={setError}
        />
        <label class="choice">
          {t("fund.from")}
          <input name="from" class="date" placeholder="YYYY-MM-DD" value={from} onChange={filter(setFrom)} />
        </label>
        <label class="choice">
          {t("fund.to")}
          <input name="to" class="date" placeholder="YYYY-MM-DD" value={to} onChange={filter(setTo)} />
        </label>
        <select
          name="currency"
          aria-label={t("fund.gift_field.currency")}
          value={currency}
          onChange={filter(setCurrency)}
        >
          <option value="">{t("fund.all_currencies")}</option>
          {CURRENCIES.map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
        <span class="spacer" />
        <button type="button" class="primary" data-testid="gift-add" {...guard} onClick={() => setForm("new")}>
          {t("fund.gift_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      {saved && (
        <p class="notice" data-testid="gift-saved">
          {t("fund.gift_saved", { no: saved.receipt_no, amount: formatMoney(saved.amount, lang) })}
        </p>
      )}
      {page && <Totals page={page} />}
      <table class="grid" data-testid="gift-table">
        <thead>
          <tr>
            <th>{t("fund.gift_field.receipt_no")}</th>
            <th>{t("fund.gift_field.received_on")}</th>
            <th>{t("fund.gift_field.donor")}</th>
            <th class="num">{t("fund.gift_field.amount")}</th>
            <th>{t("fund.gift_field.channel")}</th>
            <th>{t("fund.gift_field.purpose")}</th>
            <th />
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((g) => (
            <tr data-gift-id={g.id}>
              <td class="mono nowrap receipt-no">{g.receipt_no}</td>
              <td class="nowrap">{formatDate(g.received_on, lang)}</td>
              <td>{pick(lang, g.donor_name_ja, g.donor_name_en)}</td>
              <td class="num nowrap">{formatMoney(g.amount, lang)}</td>
              <td>{label(choices.gift_channels, g.channel, lang)}</td>
              <td>{g.purpose}</td>
              <td class="row-actions">
                <button type="button" data-testid="gift-receipt" onClick={() => setReceipt(g)}>
                  {t("fund.save_receipt")}
                </button>
              </td>
              <RowActions guard={guard} onEdit={() => setForm(g)} onRemove={() => setRemoving(g)} />
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
      {form && (
        <GiftForm
          gift={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={(g) => {
            setForm(null);
            setSaved(g);
            setReload(reload + 1);
          }}
        />
      )}
      {receipt && <ReceiptForm gift={receipt} onClose={() => setReceipt(null)} />}
      {removing && (
        <Confirm
          message={t("fund.gift_remove_confirm", { no: removing.receipt_no })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

const TEXTS = ["received_on", "amount", "purpose"] as const;
const FIELDS = [...TEXTS, "donor", "currency", "channel", "notes"];
type Draft = Record<(typeof TEXTS)[number] | "currency" | "channel" | "notes", string>;

/** A gift: the receipt number is the core's, assigned on saving and never changed. */
export function GiftForm(props: { gift: Gift | null; onSaved: (g: Gift) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const g = props.gift;
  const [d, setD] = useState<Draft>({
    received_on: g?.received_on ?? todayIso(),
    amount: g?.amount.amount ?? "",
    currency: g?.amount.currency ?? "JPY",
    channel: g?.channel ?? "bank_transfer",
    purpose: g?.purpose ?? "",
    notes: g?.notes ?? "",
  });
  const [donor, setDonor] = useState<Picked | null>(
    g ? { id: g.donor_id, label: pick(lang, g.donor_name_ja, g.donor_name_en) } : null,
  );
  const { errors, general, busy, submit, setGeneral } = useSubmit(FIELDS);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const save = async (e: Event) => {
    e.preventDefault();
    const input: GiftInput = { ...d, donor: donor?.id ?? "" };
    const saved = await submit(() => (g ? api.giftEdit(g.id, input) : api.giftAdd(input)));
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number], placeholder?: string) => (
    <Field label={t(`fund.gift_field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} placeholder={placeholder} />
    </Field>
  );
  return (
    <Modal title={t(g ? "fund.gift_edit" : "fund.gift_add")} onCancel={props.onCancel} testId="gift-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("fund.gift_field.donor")} error={errors.donor} wide>
            <DonorPicker
              name="donor"
              label={t("fund.donor_pick")}
              picked={donor}
              onPick={setDonor}
              onError={setGeneral}
            />
          </Field>
          {text("received_on", "YYYY-MM-DD")}
          {g && (
            <Field label={t("fund.gift_field.receipt_no")}>
              <input name="receipt_no" class="mono" value={g.receipt_no} readOnly />
            </Field>
          )}
          {text("amount", d.currency === "USD" ? "1000.00" : "10000")}
          <Field label={t("fund.gift_field.currency")} error={errors.currency}>
            <select name="currency" value={d.currency} onChange={set("currency")}>
              {CURRENCIES.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label={t("fund.gift_field.channel")} error={errors.channel}>
            <select name="channel" value={d.channel} onChange={set("channel")}>
              {choices.gift_channels.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("purpose")}
          <Field label={t("fund.gift_field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={2} />
          </Field>
        </div>
        <p class="hint">{t("fund.receipt_assigned")}</p>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="gift-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
