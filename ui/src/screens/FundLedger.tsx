import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useRights } from "../app-context";
import type { Conversion } from "../bindings/Conversion";
import type { CurrencyLedger } from "../bindings/CurrencyLedger";
import type { Ledger } from "../bindings/Ledger";
import type { Money } from "../bindings/Money";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { useSubmit } from "../form";
import { formatCount, formatDate, formatMoney, todayIso } from "../format";
import { pick, useI18n } from "../i18n";
import { CURRENCIES } from "./FundGifts";

const FIELDS = ["converted_on", "from_amount", "from_currency", "to_currency", "rate", "notes"];

/** Conversions between the fund's currencies: the core computes the amount
 * received and states how it rounded. */
export function FundConversions() {
  const { t, lang } = useI18n();
  const guard = useRights()("fund_conversions");
  const [d, setD] = useState({
    converted_on: todayIso(),
    from_amount: "",
    from_currency: "JPY",
    to_currency: "USD",
    rate: "",
    notes: "",
  });
  const [rows, setRows] = useState<Conversion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Conversion | null>(null);
  const [removing, setRemoving] = useState<Conversion | null>(null);
  const [reload, setReload] = useState(0);
  const { errors, general, busy, submit } = useSubmit(FIELDS);
  useEffect(() => {
    api.conversionList().then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(toFailure(e).message),
    );
  }, [reload]);
  const set = (k: keyof typeof d) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const save = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const c = await submit(() => api.convert(d));
    if (c) {
      setDone(c);
      setReload(reload + 1);
    }
  };
  const remove = async (c: Conversion) => {
    setRemoving(null);
    try {
      await api.conversionRemove(c.id);
      setReload(reload + 1);
    } catch (x) {
      setError(toFailure(x).message);
    }
  };
  const currency = (k: "from_currency" | "to_currency") => (
    <Field label={t(`fund.conv_field.${k}`)} error={errors[k]}>
      <select name={k} value={d[k]} onChange={set(k)}>
        {CURRENCIES.map((c) => (
          <option value={c}>{c}</option>
        ))}
      </select>
    </Field>
  );
  const text = (k: "converted_on" | "from_amount" | "rate" | "notes", placeholder?: string) => (
    <Field label={t(`fund.conv_field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} placeholder={placeholder} onInput={set(k)} />
    </Field>
  );
  return (
    <div data-testid="conversions">
      <form class="form card" data-testid="conversion-form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("converted_on", "YYYY-MM-DD")}
          {text("from_amount")}
          {currency("from_currency")}
          {currency("to_currency")}
          {text("rate", "0.0125")}
          {text("notes")}
        </div>
        <p class="hint">{t("fund.rate_hint")}</p>
        <div class="actions">
          <button
            type="submit"
            class="primary"
            disabled={busy || guard.disabled}
            title={guard.title}
            data-testid="conversion-save"
          >
            {t("fund.convert")}
          </button>
        </div>
      </form>
      {done && (
        <p class="notice" data-testid="conversion-done">
          {t("fund.converted", {
            from: formatMoney(done.from, lang),
            to: formatMoney(done.to, lang),
            rate: done.rate,
          })}{" "}
          <span title={done.rounding}>{t("fund.rounding")}</span>
        </p>
      )}
      <ErrorBanner message={error} />
      <table class="grid" data-testid="conversion-table">
        <thead>
          <tr>
            <th>{t("fund.conv_field.converted_on")}</th>
            <th class="num">{t("fund.conv_field.from")}</th>
            <th class="num">{t("fund.conv_field.to")}</th>
            <th class="num">{t("fund.conv_field.rate")}</th>
            <th>{t("fund.conv_field.notes")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.map((c) => (
            <tr data-conversion-id={c.id}>
              <td class="nowrap">{formatDate(c.converted_on, lang)}</td>
              <td class="num nowrap">{formatMoney(c.from, lang)}</td>
              <td class="num nowrap">{formatMoney(c.to, lang)}</td>
              <td class="num">{c.rate}</td>
              <td>{c.notes}</td>
              <td class="row-actions">
                <button type="button" class="danger" {...guard} onClick={() => setRemoving(c)}>
                  {t("common.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {removing && (
        <Confirm
          message={t("fund.conv_remove_confirm", {
            from: formatMoney(removing.from, lang),
            date: formatDate(removing.converted_on, lang),
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

const LINES = [
  "opening",
  "gifts_in",
  "converted_in",
  "converted_out",
  "distributed_out",
  "closing",
] as const satisfies readonly (keyof CurrencyLedger)[];

/** The ledger for a period (either end open): per currency, and what each member received to its end. */
export function FundLedger() {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [ledger, setLedger] = useState<Ledger | null>(null);
  const { errors, general, submit } = useSubmit(["from", "to"]);
  const load = () =>
    void submit(() => api.fundLedger({ from: from || undefined, to: to || undefined })).then((l) => l && setLedger(l));
  useEffect(load, []);
  const money = (m: Money) => formatMoney(m, lang);
  return (
    <div data-testid="ledger">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <Field label={t("fund.from")} error={errors.from}>
          <input
            class="date"
            name="from"
            placeholder="YYYY-MM-DD"
            value={from}
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field label={t("fund.to")} error={errors.to}>
          <input
            class="date"
            name="to"
            placeholder="YYYY-MM-DD"
            value={to}
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit" data-testid="ledger-show">
          {t("fund.show")}
        </button>
      </form>
      <ErrorBanner message={general} />
      {ledger && (
        <>
          <p class="totals" data-testid="ledger-counts">
            <span>
              {t("fund.ledger_period", {
                from: ledger.from ? formatDate(ledger.from, lang) : t("fund.first_record"),
                to: ledger.to ? formatDate(ledger.to, lang) : t("fund.last_record"),
              })}
            </span>
            <span data-testid="ledger-donors">{t("fund.ledger_donors", { n: formatCount(ledger.donors, lang) })}</span>
            <span data-testid="ledger-gifts">{t("fund.ledger_gifts", { n: formatCount(ledger.gifts, lang) })}</span>
          </p>
          <table class="grid ledger" data-testid="ledger-table">
            <thead>
              <tr>
                <th />
                {ledger.currencies.map((c) => (
                  <th class="num">{c.currency}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {LINES.map((line) => (
                <tr data-line={line} class={line === "closing" ? "closing" : undefined}>
                  <th>{t(`fund.ledger.${line}`)}</th>
                  {ledger.currencies.map((c) => (
                    <td class="num nowrap" data-currency={c.currency}>
                      {money(c[line])}
                      {line === "gifts_in" && (
                        <small class="reading">{t("fund.n_gifts", { n: formatCount(c.gifts, lang) })}</small>
                      )}
                      {line === "distributed_out" && (
                        <small class="reading">
                          {t("fund.n_distributions", { n: formatCount(c.distributions, lang) })}
                        </small>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t("fund.members_received")}</h2>
          <table class="grid" data-testid="received-table">
            <thead>
              <tr>
                <th>{t("fund.share.no")}</th>
                <th>{t("fund.share.member")}</th>
                <th class="num">{t("fund.received")}</th>
              </tr>
            </thead>
            <tbody>
              {ledger.members.map((m) => (
                <tr data-member-id={m.member_id}>
                  <td class="mono">{m.member_no ?? ""}</td>
                  <td>{pick(lang, m.name_ja, m.name_en)}</td>
                  <td class="num nowrap">{m.received.map(money).join(" / ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ledger.members.length === 0 && <p class="empty">{t("fund.no_received")}</p>}
        </>
      )}
    </div>
  );
}
