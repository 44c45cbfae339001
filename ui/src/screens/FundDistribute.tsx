import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Distribution } from "../bindings/Distribution";
import type { DistributionInput } from "../bindings/DistributionInput";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { TypeAhead } from "../components/TypeAhead";
import { useSubmit } from "../form";
import { formatCount, formatDate, formatMoney, todayIso } from "../format";
import { type Lang, pick, useI18n } from "../i18n";
import { CURRENCIES } from "./FundGifts";

/** The affected prefectures the core defaults to: Iwate, Miyagi, Fukushima. */
const AFFECTED = ["03", "04", "07"];
const CANDIDATES = 8;
type Mode = "eligible" | "members";
type Picked = { id: string; label: string };
const FIELDS = ["amount", "currency", "distributed_on", "eligible_on", "prefectures", "members", "notes"];
const BY_SITES = ["eligible_on", "prefectures"];

function memberLabel(m: { id: string; member_no: string; name_ja: string; name_en: string | null }, lang: Lang) {
  return { id: m.id, label: `${m.member_no} ${pick(lang, m.name_ja, m.name_en)}` };
}

/** Distributing an amount equally among members: a preview (the core's dry
 * run) shows every share and who got the remainder unit, then the same input
 * is written. */
export function FundDistribute() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("distributions");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("JPY");
  const [day, setDay] = useState(todayIso());
  const [notes, setNotes] = useState("");
  const [mode, setMode] = useState<Mode>("eligible");
  const [eligibleOn, setEligibleOn] = useState("");
  const [prefectures, setPrefectures] = useState<string[]>(AFFECTED);
  const [members, setMembers] = useState<Picked[]>([]);
  const [preview, setPreview] = useState<Distribution | null>(null);
  const [done, setDone] = useState<Distribution | null>(null);
  const [reload, setReload] = useState(0);
  // A message about a field this mode does not show goes above the form.
  const shown = FIELDS.filter((f) => (mode === "members" ? !BY_SITES.includes(f) : f !== "members"));
  const { errors, general, busy, submit, setGeneral } = useSubmit(shown, { member: "members" });

  // Any change to the form makes an earlier preview stale.
  useEffect(() => setPreview(null), [amount, currency, day, notes, mode, eligibleOn, prefectures, members]);

  const input = (dryRun: boolean): DistributionInput => ({
    amount,
    currency,
    distributed_on: day,
    notes,
    dry_run: dryRun,
    ...(mode === "members"
      ? { members: members.map((m) => m.id) }
      : { eligible_on: eligibleOn || undefined, prefectures }),
  });
  const run = async (dryRun: boolean) => {
    setDone(null);
    const d = await submit(() => api.distribute(input(dryRun)));
    if (!d) return;
    if (dryRun) setPreview(d);
    else {
      setPreview(null);
      setDone(d);
      setReload(reload + 1);
    }
  };

  return (
    <div data-testid="distribute">
      <form
        class="form card"
        data-testid="distribute-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(true);
        }}
      >
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("fund.dist_field.amount")} error={errors.amount}>
            <input name="amount" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
          </Field>
          <Field label={t("fund.dist_field.currency")} error={errors.currency}>
            <select
              name="currency"
              value={currency}
              onChange={(e) => setCurrency((e.target as HTMLSelectElement).value)}
            >
              {CURRENCIES.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label={t("fund.dist_field.distributed_on")} error={errors.distributed_on}>
            <input
              name="distributed_on"
              value={day}
              placeholder="YYYY-MM-DD"
              onInput={(e) => setDay((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field label={t("fund.dist_field.notes")} error={errors.notes}>
            <input name="notes" value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />
          </Field>
          <div class="checks wide">
            {(["eligible", "members"] as const).map((m) => (
              <label class="choice">
                <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                {t(`fund.mode.${m}`)}
              </label>
            ))}
          </div>
          {mode === "eligible" ? (
            <>
              <Field label={t("fund.dist_field.eligible_on")} error={errors.eligible_on}>
                <input
                  name="eligible_on"
                  value={eligibleOn}
                  placeholder={t("fund.eligible_default")}
                  onInput={(e) => setEligibleOn((e.target as HTMLInputElement).value)}
                />
              </Field>
              <Field label={t("fund.dist_field.prefectures")} error={errors.prefectures}>
                <ul class="chips" data-testid="dist-prefectures">
                  {prefectures.map((code) => (
                    <li data-prefecture={code}>
                      {label(choices.prefectures, code, lang)}
                      <button
                        type="button"
                        aria-label={t("common.remove")}
                        onClick={() => setPrefectures(prefectures.filter((p) => p !== code))}
                      >
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
                <select
                  name="add_prefecture"
                  value=""
                  onChange={(e) => {
                    const code = (e.target as HTMLSelectElement).value;
                    if (code && !prefectures.includes(code)) setPrefectures([...prefectures, code].sort());
                  }}
                >
                  <option value="">{t("fund.add_prefecture")}</option>
                  {choices.prefectures.map((p) => (
                    <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
                  ))}
                </select>
              </Field>
            </>
          ) : (
            <Field label={t("fund.dist_field.members")} error={errors.members} wide>
              <ul class="chips" data-testid="dist-members">
                {members.map((m) => (
                  <li data-member-id={m.id}>
                    {m.label}
                    <button
                      type="button"
                      aria-label={t("common.remove")}
                      onClick={() => setMembers(members.filter((x) => x.id !== m.id))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <TypeAhead<Picked>
                name="dist-member"
                label={t("fund.member_pick")}
                search={(typed) =>
                  api
                    .memberList({ search: typed, limit: CANDIDATES })
                    .then((p) => p.rows.map((m) => memberLabel(m, lang)))
                }
                keyOf={(m) => m.id}
                render={(m) => <span class="candidate">{m.label}</span>}
                onPick={async (m) => {
                  if (!members.some((x) => x.id === m.id)) setMembers([...members, m]);
                  return true;
                }}
                onError={setGeneral}
              />
            </Field>
          )}
        </div>
        <div class="actions">
          <button type="submit" disabled={busy} data-testid="distribute-preview">
            {t("fund.preview")}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="distribute-submit"
            disabled={busy || !preview || guard.disabled}
            title={guard.title ?? (preview ? undefined : t("fund.preview_first"))}
            onClick={() => void run(false)}
          >
            {t("fund.distribute")}
          </button>
        </div>
      </form>
      {preview && <Shares d={preview} testId="distribution-preview" />}
      {done && <Shares d={done} testId="distribution-done" />}
      <PastDistributions reload={reload} />
    </div>
  );
}

/** Every member's share, the remainder units marked, the rule, and the sum (= T). */
function Shares(props: { d: Distribution; testId: string }) {
  const { t, lang } = useI18n();
  const { d } = props;
  const sum = d.shares_total;
  return (
    <div class="card" data-testid={props.testId}>
      <h3>
        {t(d.dry_run ? "fund.preview_title" : "fund.distributed_title", {
          amount: formatMoney(d.amount, lang),
          date: formatDate(d.distributed_on, lang),
          n: formatCount(d.shares.length, lang),
        })}
      </h3>
      <table class="grid" data-testid="share-table">
        <thead>
          <tr>
            <th>{t("fund.share.no")}</th>
            <th>{t("fund.share.member")}</th>
            <th class="num">{t("fund.share.amount")}</th>
            <th>{t("fund.share.remainder")}</th>
          </tr>
        </thead>
        <tbody>
          {d.shares.map((s) => (
            <tr data-member-id={s.member_id}>
              <td class="mono">{s.member_no ?? ""}</td>
              <td>{pick(lang, s.name_ja, s.name_en)}</td>
              <td class="num nowrap share-amount">{formatMoney(s.amount, lang)}</td>
              <td>
                {s.remainder_unit ? (
                  <span class="status" data-mark="remainder">
                    {t("fund.share.plus_one")}
                  </span>
                ) : (
                  ""
                )}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={2}>{t("fund.share.sum")}</th>
            <th class="num nowrap" data-testid="share-sum">
              {formatMoney(sum, lang)}
            </th>
            <th data-testid="share-sum-check">
              {sum.amount === d.amount.amount ? t("fund.share.equals_t") : t("fund.share.differs")}
            </th>
          </tr>
        </tfoot>
      </table>
      <p class="hint" data-testid="distribution-rule">
        {t("fund.rule", { remainder: formatCount(d.remainder, lang) })} {t("fund.rule_summary")}
      </p>
      <details class="hint">
        <summary>{t("fund.rule_stored")}</summary>
        <p lang="en">{d.rule}</p>
      </details>
    </div>
  );
}

function PastDistributions(props: { reload: number }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("distributions");
  const [rows, setRows] = useState<Distribution[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Distribution | null>(null);
  const [again, setAgain] = useState(0);
  useEffect(() => {
    api.distributionList({}).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(toFailure(e).message),
    );
  }, [props.reload, again]);
  const remove = async (d: Distribution) => {
    setRemoving(null);
    try {
      if (d.id) await api.distributionRemove(d.id);
      setAgain(again + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const who = (d: Distribution) =>
    d.eligible_on
      ? t("fund.eligible_rule", {
          date: formatDate(d.eligible_on, lang),
          prefectures: d.prefectures.map((p) => label(choices.prefectures, p, lang)).join(t("fund.list_sep")),
        })
      : t("fund.chosen_members");
  return (
    <div data-testid="distributions">
      <h2>{t("fund.past_distributions")}</h2>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="distribution-table">
        <thead>
          <tr>
            <th>{t("fund.dist_field.distributed_on")}</th>
            <th class="num">{t("fund.dist_field.amount")}</th>
            <th class="num">{t("fund.dist_field.member_count")}</th>
            <th>{t("fund.dist_field.rule")}</th>
            <th>{t("fund.dist_field.notes")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.map((d) => (
            <tr data-distribution-id={d.id ?? ""}>
              <td class="nowrap">{formatDate(d.distributed_on, lang)}</td>
              <td class="num nowrap">{formatMoney(d.amount, lang)}</td>
              <td class="num">{formatCount(d.shares.length, lang)}</td>
              <td>
                {who(d)}
                <small class="reading">{t("fund.remainder_of", { n: formatCount(d.remainder, lang) })}</small>
              </td>
              <td>{d.notes}</td>
              <td class="row-actions">
                <button type="button" class="danger" {...guard} onClick={() => setRemoving(d)}>
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
          message={t("fund.dist_remove_confirm", {
            amount: formatMoney(removing.amount, lang),
            date: formatDate(removing.distributed_on, lang),
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
