import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { BudgetLine } from "../bindings/BudgetLine";
import type { Donor } from "../bindings/Donor";
import type { Expenditure } from "../bindings/Expenditure";
import type { GrantDetail } from "../bindings/GrantDetail";
import type { PhaseDetail } from "../bindings/PhaseDetail";
import type { ReportDue } from "../bindings/ReportDue";
import type { Tranche } from "../bindings/Tranche";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { type KeysUnder, pick, useI18n } from "../i18n";
import { CURRENCIES } from "./FundGifts";

// The grant desk's forms (HQ only). Each sends what was typed to one core
// call and shows the core's verdict under the field it names; no rule is
// checked here.

type Name = KeysUnder<"grantdesk.field">;
type Values = Partial<Record<Name, string>>;

/** One input of a form: plain text, a choice, or a longer text. */
type Spec =
  { name: Name; kind?: "text" | "textarea"; placeholder?: string } | { name: Name; options: [string, string][] };

const DAY = "YYYY-MM-DD";
const PROJECT_DAY = "YYYY-MM-DD / YYYY-MM";

/** A modal form over `specs`; `save` gets the values typed (an empty field as ""). */
function RecordForm(props: {
  title: string;
  testId: string;
  specs: Spec[];
  initial: Values;
  save: (v: Values) => Promise<unknown>;
  onSaved: () => void;
  onCancel: () => void;
  /** Core field names that belong to another input of this form. */
  aliases?: Record<string, string>;
}) {
  const { t } = useI18n();
  const [v, setV] = useState<Values>(props.initial);
  const { errors, general, busy, submit } = useSubmit(
    props.specs.map((s) => s.name),
    props.aliases,
  );
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const ok = await submit(async () => {
      await props.save(v);
      return true;
    });
    if (ok) props.onSaved();
  };
  const set = (n: Name) => (e: Event) => setV({ ...v, [n]: (e.target as HTMLInputElement).value });
  return (
    <Modal title={props.title} onCancel={props.onCancel} testId={props.testId}>
      <form class="form" onSubmit={onSubmit} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {props.specs.map((s) => (
            <Field
              label={t(`grantdesk.field.${s.name}`)}
              error={errors[s.name]}
              wide={"kind" in s && s.kind === "textarea"}
            >
              {"options" in s ? (
                <select name={s.name} value={v[s.name] ?? ""} onChange={set(s.name)}>
                  {s.options.map(([value, text]) => (
                    <option value={value}>{text}</option>
                  ))}
                </select>
              ) : s.kind === "textarea" ? (
                <textarea name={s.name} value={v[s.name] ?? ""} onInput={set(s.name)} rows={3} />
              ) : (
                <input name={s.name} value={v[s.name] ?? ""} onInput={set(s.name)} placeholder={s.placeholder} />
              )}
            </Field>
          ))}
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid={`${props.testId}-save`}>
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** "" for an absent value, so an edit form shows every stored field. */
const s = (x: string | null | undefined): string => x ?? "";
/** Undefined for an empty field of a new record: the core's "not given". */
const opt = (x: string | undefined): string | undefined => (x && x.trim() !== "" ? x : undefined);

type Done = { onSaved: () => void; onCancel: () => void };

export function GrantAddForm(props: Done) {
  const { t, lang } = useI18n();
  const [donors, setDonors] = useState<Donor[]>([]);
  useEffect(() => {
    api.grantDonors().then(setDonors, () => undefined);
  }, []);
  const donorOptions: [string, string][] = [
    ["", t("grantdesk.new_donor")],
    ...donors.map((d): [string, string] => [d.id, pick(lang, d.name_ja, d.name_en)]),
  ];
  return (
    <RecordForm
      title={t("grantdesk.grant_add")}
      testId="grant-form"
      specs={[
        { name: "donor", options: donorOptions },
        { name: "new_donor_en" },
        { name: "new_donor_ja" },
        { name: "title_en" },
        { name: "title_ja" },
        { name: "currency", options: CURRENCIES.map((c): [string, string] => [c, c]) },
        { name: "start", placeholder: PROJECT_DAY },
        { name: "end", placeholder: PROJECT_DAY },
        { name: "amount" },
        { name: "notes", kind: "textarea" },
      ]}
      initial={{ donor: donors[0]?.id ?? "", currency: "USD" }}
      save={(v) =>
        api.grantAdd({
          donor: opt(v.donor),
          new_donor_en: opt(v.new_donor_en),
          new_donor_ja: opt(v.new_donor_ja),
          title_en: s(v.title_en),
          title_ja: opt(v.title_ja),
          currency: s(v.currency),
          notes: opt(v.notes),
          phase: {
            title_en: s(v.title_en),
            title_ja: opt(v.title_ja),
            start: s(v.start),
            end: s(v.end),
            amount: s(v.amount),
            activities: [],
            partners: [],
          },
        })
      }
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}

export function GrantEditForm(props: Done & { grant: GrantDetail }) {
  const { t } = useI18n();
  const g = props.grant.grant;
  return (
    <RecordForm
      title={t("grantdesk.grant_edit")}
      testId="grant-edit-form"
      specs={[{ name: "title_en" }, { name: "title_ja" }, { name: "notes", kind: "textarea" }]}
      initial={{ title_en: g.title_en, title_ja: g.title_ja, notes: s(g.notes) }}
      save={(v) => api.grantEdit(g.id, { title_en: v.title_en, title_ja: v.title_ja, notes: v.notes })}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}

/** A phase added to `grantId`, or `phase` edited; an activity and a partner may be added with it. */
export function PhaseForm(props: Done & { grantId: string; phase: PhaseDetail | null }) {
  const { t } = useI18n();
  const p = props.phase?.phase;
  return (
    <RecordForm
      title={t(p ? "grantdesk.phase_edit" : "grantdesk.phase_add")}
      testId="phase-form"
      specs={[
        { name: "title_en" },
        { name: "title_ja" },
        { name: "start", placeholder: PROJECT_DAY },
        { name: "end", placeholder: PROJECT_DAY },
        { name: "amount" },
        { name: "summary_en", kind: "textarea" },
        { name: "summary_ja", kind: "textarea" },
        { name: "activity_en" },
        { name: "activity_ja" },
        { name: "partner" },
        { name: "partner_role" },
      ]}
      aliases={{ activities: "activity_en", partners: "partner" }}
      initial={
        p
          ? {
              title_en: p.title_en,
              title_ja: p.title_ja,
              start: p.start,
              end: p.end,
              amount: p.amount.amount,
              summary_en: s(p.summary_en),
              summary_ja: s(p.summary_ja),
            }
          : {}
      }
      save={(v) => {
        const input = {
          grant_id: props.grantId,
          title_en: v.title_en,
          title_ja: v.title_ja,
          start: v.start,
          end: v.end,
          amount: v.amount,
          summary_en: v.summary_en,
          summary_ja: v.summary_ja,
          activities: opt(v.activity_en) ? [{ title_en: s(v.activity_en), title_ja: opt(v.activity_ja) }] : [],
          partners: opt(v.partner) ? [{ name_en: s(v.partner), role_en: opt(v.partner_role) }] : [],
        };
        return p ? api.phaseEdit(p.id, input) : api.phaseAdd(input);
      }}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}

export function BudgetLineForm(props: Done & { phase: PhaseDetail; line: BudgetLine | null }) {
  const { t } = useI18n();
  const b = props.line;
  return (
    <RecordForm
      title={t(b ? "grantdesk.line_edit" : "grantdesk.line_add")}
      testId="line-form"
      specs={[
        { name: "code" },
        { name: "name_en" },
        { name: "name_ja" },
        { name: "amount" },
        { name: "variance_note", kind: "textarea" },
      ]}
      initial={
        b
          ? {
              code: s(b.code),
              name_en: b.name_en,
              name_ja: s(b.name_ja),
              amount: b.amount.amount,
              variance_note: s(b.variance_note),
            }
          : {}
      }
      save={(v) =>
        b
          ? api.budgetLineEdit(b.id, v)
          : api.budgetLineAdd({
              phase_id: props.phase.phase.id,
              code: opt(v.code),
              name_en: s(v.name_en),
              name_ja: opt(v.name_ja),
              amount: s(v.amount),
              currency: props.phase.phase.amount.currency,
              variance_note: opt(v.variance_note),
            })
      }
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}

export function ExpenditureForm(props: Done & { phase: PhaseDetail; expenditure: Expenditure | null }) {
  const { t, lang } = useI18n();
  const e = props.expenditure;
  const lines: [string, string][] = [
    ["", t("grantdesk.no_line")],
    ...props.phase.budget_lines.map((b): [string, string] => [b.id, pick(lang, b.name_ja, b.name_en)]),
  ];
  const grantCurrency = props.phase.phase.amount.currency;
  return (
    <RecordForm
      title={t(e ? "grantdesk.spend_edit" : "grantdesk.spend_add")}
      testId="spend-form"
      specs={[
        { name: "budget_line", options: lines },
        { name: "spent_on", placeholder: DAY },
        { name: "description" },
        { name: "receipt_ref" },
        { name: "amount" },
        { name: "currency", options: CURRENCIES.map((c): [string, string] => [c, c]) },
        { name: "rate" },
        { name: "rate_date", placeholder: DAY },
      ]}
      initial={
        e
          ? {
              budget_line: s(e.budget_line_id),
              spent_on: e.spent_on,
              description: e.description,
              receipt_ref: s(e.receipt_ref),
              amount: e.amount.amount,
              currency: e.amount.currency,
              rate: e.amount.currency === grantCurrency ? "" : e.rate,
              rate_date: s(e.rate_date),
            }
          : { currency: grantCurrency }
      }
      save={(v) =>
        e
          ? api.expenditureEdit(e.id, {
              budget_line_id: v.budget_line,
              spent_on: v.spent_on,
              description: v.description,
              receipt_ref: v.receipt_ref,
              amount: v.amount,
              currency: v.currency,
              rate: v.rate,
              rate_date: v.rate_date,
            })
          : api.expenditureAdd({
              phase_id: props.phase.phase.id,
              budget_line_id: opt(v.budget_line),
              spent_on: s(v.spent_on),
              description: s(v.description),
              receipt_ref: opt(v.receipt_ref),
              amount: s(v.amount),
              currency: s(v.currency),
              rate: opt(v.rate),
              rate_date: opt(v.rate_date),
            })
      }
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}

export function TrancheForm(props: Done & { phase: PhaseDetail; tranche: Tranche | null }) {
  const { t } = useI18n();
  const x = props.tranche;
  return (
    <RecordForm
      title={t(x ? "grantdesk.tranche_edit" : "grantdesk.tranche_add")}
      testId="tranche-form"
      specs={[
        { name: "amount" },
        { name: "expected_on", placeholder: DAY },
        { name: "received_on", placeholder: DAY },
        { name: "notes", kind: "textarea" },
      ]}
      initial={
        x
          ? { amount: x.amount.amount, expected_on: s(x.expected_on), received_on: s(x.received_on), notes: s(x.notes) }
          : {}
      }
      save={(v) => (x ? api.trancheEdit(x.id, v) : api.trancheAdd({ ...v, phase_id: props.phase.phase.id }))}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}

export function DueForm(props: Done & { phase: PhaseDetail; due: ReportDue | null }) {
  const { t } = useI18n();
  const d = props.due;
  return (
    <RecordForm
      title={t(d ? "grantdesk.due_edit" : "grantdesk.due_add")}
      testId="due-form"
      specs={[
        { name: "label_en" },
        { name: "label_ja" },
        { name: "due_on", placeholder: DAY },
        { name: "period_start", placeholder: DAY },
        { name: "period_end", placeholder: DAY },
        { name: "submitted_on", placeholder: DAY },
      ]}
      initial={
        d
          ? {
              label_en: d.label_en,
              label_ja: s(d.label_ja),
              due_on: d.due_on,
              period_start: s(d.period_start),
              period_end: s(d.period_end),
              submitted_on: s(d.submitted_on),
            }
          : {}
      }
      save={(v) => (d ? api.reportDueEdit(d.id, v) : api.reportDueAdd({ ...v, phase_id: props.phase.phase.id }))}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    />
  );
}
