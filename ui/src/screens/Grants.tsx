import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useRights } from "../app-context";
import type { BudgetLine } from "../bindings/BudgetLine";
import type { Expenditure } from "../bindings/Expenditure";
import type { GrantDetail } from "../bindings/GrantDetail";
import type { GrantOverview } from "../bindings/GrantOverview";
import type { PhaseDetail } from "../bindings/PhaseDetail";
import type { ReportDue } from "../bindings/ReportDue";
import type { Tranche } from "../bindings/Tranche";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { RowActions } from "../components/RowActions";
import { formatDate, formatMoney, formatRange } from "../format";
import { pick, useI18n } from "../i18n";
import {
  BudgetLineForm,
  DueForm,
  ExpenditureForm,
  GrantAddForm,
  GrantEditForm,
  PhaseForm,
  TrancheForm,
} from "./GrantForms";

// Every figure here (amounts, spent, remaining, totals, which line is
// overspent) is the core's; this screen only lays them out. HQ adds and
// edits; a field office sees the same records with every control disabled
// (the core would refuse it as `unauthorized`).

/** What is being edited or removed on a phase: one at a time. */
type Editing =
  | { kind: "phase" }
  | { kind: "line"; line: BudgetLine | null }
  | { kind: "spend"; expenditure: Expenditure | null }
  | { kind: "tranche"; tranche: Tranche | null }
  | { kind: "due"; due: ReportDue | null };

type Removing =
  | { kind: "line"; line: BudgetLine }
  | { kind: "spend"; expenditure: Expenditure }
  | { kind: "tranche"; tranche: Tranche }
  | { kind: "due"; due: ReportDue };

function Over(props: { show: boolean }) {
  const { t } = useI18n();
  return props.show ? (
    <span class="overspent" data-testid="overspent">
      {t("grantdesk.overspent")}
    </span>
  ) : null;
}

function PhaseBlock(props: { p: PhaseDetail; grantId: string; reload: () => void }) {
  const { t, lang } = useI18n();
  const rights = useRights();
  const { p } = props;
  const [editing, setEditing] = useState<Editing | null>(null);
  const [removing, setRemoving] = useState<Removing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const none = <p class="empty">{t("grants.none")}</p>;
  const done = () => {
    setEditing(null);
    props.reload();
  };
  const remove = async (r: Removing) => {
    setRemoving(null);
    try {
      if (r.kind === "line") await api.budgetLineRemove(r.line.id, r.line.expenditure_count > 0);
      else if (r.kind === "spend") await api.expenditureRemove(r.expenditure.id);
      else if (r.kind === "tranche") await api.trancheRemove(r.tranche.id);
      else await api.reportDueRemove(r.due.id);
      props.reload();
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  const removeMessage = (r: Removing): string => {
    if (r.kind === "line")
      return r.line.expenditure_count > 0
        ? t("grantdesk.line_remove_with", {
            name: pick(lang, r.line.name_ja, r.line.name_en),
            n: r.line.expenditure_count,
          })
        : t("grantdesk.line_remove", { name: pick(lang, r.line.name_ja, r.line.name_en) });
    if (r.kind === "spend") return t("grantdesk.spend_remove", { what: r.expenditure.description });
    if (r.kind === "tranche") return t("grantdesk.tranche_remove", { amount: formatMoney(r.tranche.amount, lang) });
    return t("grantdesk.due_remove", { what: pick(lang, r.due.label_ja, r.due.label_en) });
  };
  const addButton = (table: string, testId: string, label: string, what: Editing) => (
    <button type="button" data-testid={testId} {...rights(table)} onClick={() => setEditing(what)}>
      {label}
    </button>
  );
  return (
    <article class="phase" data-phase-id={p.phase.id}>
      <div class="phase-head">
        <h3>
          {t("grants.phase", { n: Number(p.phase.seq) })}: {pick(lang, p.phase.title_ja, p.phase.title_en)}
        </h3>
        {addButton("phases", "phase-edit", t("grantdesk.phase_edit"), { kind: "phase" })}
      </div>
      <ErrorBanner message={error} />
      <dl class="figures">
        <dt>{t("grants.period")}</dt>
        <dd>{formatRange(p.phase.start, p.phase.end, lang)}</dd>
        <dt>{t("grants.amount")}</dt>
        <dd class="num">{formatMoney(p.phase.amount, lang)}</dd>
        <dt>{t("grants.spent")}</dt>
        <dd class="num">{formatMoney(p.spent_total, lang)}</dd>
        <dt>{t("grants.unspent")}</dt>
        <dd class="num" data-testid="phase-unspent">
          {formatMoney(p.unspent, lang)} <Over show={p.overspent} />
        </dd>
        <dt>{t("grantdesk.received")}</dt>
        <dd class="num">{formatMoney(p.received_total, lang)}</dd>
      </dl>
      {pick(lang, p.phase.summary_ja, p.phase.summary_en) && (
        <p class="summary">{pick(lang, p.phase.summary_ja, p.phase.summary_en)}</p>
      )}
      <h4>{t("grants.partners")}</h4>
      {p.partners.length === 0 ? (
        none
      ) : (
        <ul class="partners">
          {p.partners.map((x) => (
            <li>
              <strong>{pick(lang, x.name_ja, x.name_en)}</strong>
              {x.acronym ? ` (${x.acronym})` : ""}
              {pick(lang, x.role_ja, x.role_en) ? ` — ${pick(lang, x.role_ja, x.role_en)}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h4>{t("grants.activities")}</h4>
      {p.activities.length === 0 ? (
        none
      ) : (
        <ol class="activities">
          {p.activities.map((a) => (
            <li>
              <strong>{pick(lang, a.title_ja, a.title_en)}</strong>
              <span>{pick(lang, a.description_ja, a.description_en)}</span>
            </li>
          ))}
        </ol>
      )}

      <div class="section-head">
        <h4>{t("grantdesk.tranches")}</h4>
        {addButton("tranches", "tranche-add", t("grantdesk.tranche_add"), { kind: "tranche", tranche: null })}
      </div>
      {p.tranches.length === 0 ? (
        none
      ) : (
        <table class="grid" data-testid="tranche-table">
          <thead>
            <tr>
              <th class="num">{t("grantdesk.field.amount")}</th>
              <th>{t("grantdesk.field.expected_on")}</th>
              <th>{t("grantdesk.field.received_on")}</th>
              <th>{t("grantdesk.field.notes")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {p.tranches.map((x) => (
              <tr data-tranche-id={x.id}>
                <td class="num">{formatMoney(x.amount, lang)}</td>
                <td>{formatDate(x.expected_on, lang)}</td>
                <td>{x.received_on ? formatDate(x.received_on, lang) : t("grantdesk.not_received")}</td>
                <td>{x.notes ?? ""}</td>
                <RowActions
                  guard={rights("tranches")}
                  onEdit={() => setEditing({ kind: "tranche", tranche: x })}
                  onRemove={() => setRemoving({ kind: "tranche", tranche: x })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div class="section-head">
        <h4>{t("grantdesk.dues")}</h4>
        {addButton("report_dues", "due-add", t("grantdesk.due_add"), { kind: "due", due: null })}
      </div>
      {p.report_dues.length === 0 ? (
        none
      ) : (
        <table class="grid" data-testid="due-table">
          <thead>
            <tr>
              <th>{t("grantdesk.field.due_on")}</th>
              <th>{t("grantdesk.field.label_en")}</th>
              <th>{t("grants.period")}</th>
              <th>{t("grantdesk.field.submitted_on")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {p.report_dues.map((d) => (
              <tr data-due-id={d.id}>
                <td>{formatDate(d.due_on, lang)}</td>
                <td>{pick(lang, d.label_ja, d.label_en)}</td>
                <td>{d.period_start && d.period_end ? formatRange(d.period_start, d.period_end, lang) : ""}</td>
                <td>{d.submitted_on ? formatDate(d.submitted_on, lang) : t("grantdesk.not_submitted")}</td>
                <RowActions
                  guard={rights("report_dues")}
                  onEdit={() => setEditing({ kind: "due", due: d })}
                  onRemove={() => setRemoving({ kind: "due", due: d })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div class="section-head">
        <h4>{t("grants.budget_lines")}</h4>
        {addButton("budget_lines", "line-add", t("grantdesk.line_add"), { kind: "line", line: null })}
      </div>
      {p.budget_lines.length === 0 ? (
        none
      ) : (
        <table class="grid" data-testid="line-table">
          <thead>
            <tr>
              <th>{t("grants.line.code")}</th>
              <th>{t("grants.line.name")}</th>
              <th class="num">{t("grants.line.amount")}</th>
              <th class="num">{t("grants.line.spent")}</th>
              <th class="num">{t("grantdesk.remaining")}</th>
              <th>{t("grantdesk.field.variance_note")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {p.budget_lines.map((b) => (
              <tr data-line-id={b.id} class={b.overspent ? "over" : undefined}>
                <td>{b.code ?? ""}</td>
                <td>{pick(lang, b.name_ja, b.name_en)}</td>
                <td class="num">{formatMoney(b.amount, lang)}</td>
                <td class="num">{formatMoney(b.spent, lang)}</td>
                <td class="num">
                  {formatMoney(b.remaining, lang)} <Over show={b.overspent} />
                </td>
                <td>{b.variance_note ?? ""}</td>
                <RowActions
                  guard={rights("budget_lines")}
                  onEdit={() => setEditing({ kind: "line", line: b })}
                  onRemove={() => setRemoving({ kind: "line", line: b })}
                />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={2}>{t("grants.budget_total")}</th>
              <th class="num">{formatMoney(p.budget_total, lang)}</th>
              <th class="num">{formatMoney(p.spent_total, lang)}</th>
              <th class="num">
                <Over show={p.over_budget} />
              </th>
              <th colSpan={2} />
            </tr>
          </tfoot>
        </table>
      )}

      <div class="section-head">
        <h4>{t("grants.expenditures")}</h4>
        {addButton("expenditures", "spend-add", t("grantdesk.spend_add"), { kind: "spend", expenditure: null })}
      </div>
      {p.expenditures.length === 0 ? (
        none
      ) : (
        <table class="grid" data-testid="spend-table">
          <thead>
            <tr>
              <th>{t("grants.exp.date")}</th>
              <th>{t("grants.exp.description")}</th>
              <th>{t("grantdesk.field.receipt_ref")}</th>
              <th class="num">{t("grants.exp.amount")}</th>
              <th class="num">{t("grants.exp.rate")}</th>
              <th class="num">{t("grants.exp.converted")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {p.expenditures.map((x) => (
              <tr data-spend-id={x.id}>
                <td>{formatDate(x.spent_on, lang)}</td>
                <td>
                  {x.description}
                  {x.outside_phase && <span class="overspent"> {t("grantdesk.outside_phase")}</span>}
                </td>
                <td>{x.receipt_ref ?? ""}</td>
                <td class="num">{formatMoney(x.amount, lang)}</td>
                <td class="num">{x.rate}</td>
                <td class="num">{formatMoney(x.converted, lang)}</td>
                <RowActions
                  guard={rights("expenditures")}
                  onEdit={() => setEditing({ kind: "spend", expenditure: x })}
                  onRemove={() => setRemoving({ kind: "spend", expenditure: x })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {editing?.kind === "phase" && (
        <PhaseForm grantId={props.grantId} phase={p} onSaved={done} onCancel={() => setEditing(null)} />
      )}
      {editing?.kind === "line" && (
        <BudgetLineForm phase={p} line={editing.line} onSaved={done} onCancel={() => setEditing(null)} />
      )}
      {editing?.kind === "spend" && (
        <ExpenditureForm phase={p} expenditure={editing.expenditure} onSaved={done} onCancel={() => setEditing(null)} />
      )}
      {editing?.kind === "tranche" && (
        <TrancheForm phase={p} tranche={editing.tranche} onSaved={done} onCancel={() => setEditing(null)} />
      )}
      {editing?.kind === "due" && (
        <DueForm phase={p} due={editing.due} onSaved={done} onCancel={() => setEditing(null)} />
      )}
      {removing && (
        <Confirm
          message={removeMessage(removing)}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </article>
  );
}

function GrantCard(props: { g: GrantDetail; reload: () => void }) {
  const { t, lang } = useI18n();
  const rights = useRights();
  const { g } = props;
  const [form, setForm] = useState<"edit" | "phase" | null>(null);
  const done = () => {
    setForm(null);
    props.reload();
  };
  return (
    <div class="grant card" data-grant-id={g.grant.id}>
      <div class="phase-head">
        <h2>{pick(lang, g.grant.title_ja, g.grant.title_en)}</h2>
        <button type="button" data-testid="grant-edit" {...rights("grants")} onClick={() => setForm("edit")}>
          {t("grantdesk.grant_edit")}
        </button>
        <button type="button" data-testid="phase-add" {...rights("phases")} onClick={() => setForm("phase")}>
          {t("grantdesk.phase_add")}
        </button>
      </div>
      <dl class="figures">
        <dt>{t("grants.donor")}</dt>
        <dd>{pick(lang, g.donor.name_ja, g.donor.name_en)}</dd>
        <dt>{t("grants.total")}</dt>
        <dd class="num">{formatMoney(g.total, lang)}</dd>
        <dt>{t("grants.spent")}</dt>
        <dd class="num">{formatMoney(g.spent_total, lang)}</dd>
      </dl>
      {g.phases.map((p) => (
        <PhaseBlock p={p} grantId={g.grant.id} reload={props.reload} />
      ))}
      {form === "edit" && <GrantEditForm grant={g} onSaved={done} onCancel={() => setForm(null)} />}
      {form === "phase" && (
        <PhaseForm grantId={g.grant.id} phase={null} onSaved={done} onCancel={() => setForm(null)} />
      )}
    </div>
  );
}

export function GrantsScreen() {
  const { t, lang } = useI18n();
  const rights = useRights();
  const [data, setData] = useState<GrantOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api.grantList().then(setData, (e) => setError(toFailure(e).message));
  }, [reload]);
  const again = () => setReload((n) => n + 1);
  if (error) return <ErrorBanner message={error} />;
  if (!data) return <p class="loading">{t("common.loading")}</p>;
  return (
    <section data-testid="grants">
      <div class="phase-head">
        <h1>{t("grants.title")}</h1>
        <button
          type="button"
          class="primary"
          data-testid="grant-add"
          {...rights("grants")}
          onClick={() => setAdding(true)}
        >
          {t("grantdesk.grant_add")}
        </button>
      </div>
      <p class="totals">
        {t("grants.totals")}:{" "}
        <strong data-testid="grants-total">{data.totals.map((m) => formatMoney(m, lang)).join(" / ")}</strong>
      </p>
      {data.grants.map((g) => (
        <GrantCard g={g} reload={again} />
      ))}
      {adding && (
        <GrantAddForm
          onSaved={() => {
            setAdding(false);
            again();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  );
}
