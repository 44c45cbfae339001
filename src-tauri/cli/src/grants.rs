//! `kizuna grant|phase|budget|spend|tranche|due ...`

use clap::{Args, Subcommand};
use kizuna_core::model::grant::{BudgetLine, BudgetLineInput, Expenditure, ExpenditureInput, GrantDetail, PhaseDetail};
use kizuna_core::model::grant_desk::{
    ActivityInput, BudgetLineEdit, ExpenditureEdit, GrantEdit, GrantInput, PartnerInput, PhaseInput, ReportDueInput,
    TrancheInput,
};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

// `grant add` carries a whole phase; the enum is parsed once per run.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum GrantCommand {
    /// Every grant with its phases and the total granted
    List,
    /// A grant (by its id or one of its phases' ids): phases, amounts, totals, activities, partners
    Show {
        /// A grant's or phase's id, or a unique prefix of it (8+ characters)
        id: String,
    },
    /// HQ: record a new grant with its first phase
    Add {
        /// An existing donor: its id or name (see `grant donors`)
        #[arg(long, conflicts_with = "new_donor_en")]
        donor: Option<String>,
        /// A new donor's English name
        #[arg(long)]
        new_donor_en: Option<String>,
        /// A new donor's name in Japanese
        #[arg(long)]
        new_donor_ja: Option<String>,
        /// The grant's title in English
        #[arg(long)]
        title_en: String,
        /// The grant's title in Japanese
        #[arg(long)]
        title_ja: Option<String>,
        /// JPY or USD; every amount of the grant is kept in it
        #[arg(long)]
        currency: String,
        /// Free notes
        #[arg(long)]
        notes: Option<String>,
        /// The phase's id, or a unique prefix of it
        #[command(flatten)]
        phase: PhaseFields,
    },
    /// HQ: change a grant's donor, titles or notes
    Edit {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        /// The donor: its id or name (see `grant donors`)
        #[arg(long)]
        donor: Option<String>,
        /// The grant's title in English
        #[arg(long)]
        title_en: Option<String>,
        /// The grant's title in Japanese
        #[arg(long)]
        title_ja: Option<String>,
        /// Free notes
        #[arg(long)]
        notes: Option<String>,
    },
    /// The grant makers a grant can name
    Donors,
}

#[derive(Args, Default)]
pub struct PhaseFields {
    /// The phase's title (default for a new grant: the grant's title)
    #[arg(long)]
    phase_title_en: Option<String>,
    /// The phase's title in Japanese
    #[arg(long)]
    phase_title_ja: Option<String>,
    /// YYYY-MM-DD, or YYYY-MM where only the month is known
    #[arg(long)]
    start: Option<String>,
    /// Last day (YYYY-MM-DD) or month (YYYY-MM) of the phase
    #[arg(long)]
    end: Option<String>,
    /// In the grant's currency
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
    /// The phase's summary in English
    #[arg(long)]
    summary_en: Option<String>,
    /// The phase's summary in Japanese
    #[arg(long)]
    summary_ja: Option<String>,
    /// An activity: "English title" or "English title / 日本語の題" (repeatable)
    #[arg(long = "activity")]
    activities: Vec<String>,
    /// A partner: "Name" or "Name: role" (repeatable; an existing partner of that name is reused)
    #[arg(long = "partner")]
    partners: Vec<String>,
}

impl PhaseFields {
    fn input(self, grant_id: Option<String>) -> PhaseInput {
        PhaseInput {
            grant_id,
            title_en: self.phase_title_en,
            title_ja: self.phase_title_ja,
            start: self.start,
            end: self.end,
            amount: self.amount,
            summary_en: self.summary_en,
            summary_ja: self.summary_ja,
            activities: self
                .activities
                .iter()
                .map(|a| {
                    let (en, ja) = a.split_once(" / ").map_or((a.as_str(), None), |(e, j)| (e, Some(j)));
                    ActivityInput {
                        title_en: en.trim().into(),
                        title_ja: ja.map(|j| j.trim().into()),
                        description_en: None,
                    }
                })
                .collect(),
            partners: self
                .partners
                .iter()
                .map(|p| {
                    let (name, role) = p.split_once(": ").map_or((p.as_str(), None), |(n, r)| (n, Some(r)));
                    PartnerInput { name_en: name.trim().into(), name_ja: None, role_en: role.map(|r| r.trim().into()) }
                })
                .collect(),
        }
    }
}

#[derive(Subcommand)]
pub enum PhaseCommand {
    /// HQ: add a phase to a grant
    Add {
        /// The grant's id, or a unique prefix of it
        #[arg(long)]
        grant: String,
        #[command(flatten)]
        fields: PhaseFields,
    },
    /// HQ: change a phase (activities and partners given are added)
    Edit {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        #[command(flatten)]
        fields: PhaseFields,
    },
}

#[derive(Subcommand)]
pub enum BudgetCommand {
    /// HQ: add a budget line to a phase (--phase, --name-en, --amount and --currency are required)
    Add {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: String,
        /// The line's name in English
        #[arg(long)]
        name_en: String,
        /// The line's name in Japanese
        #[arg(long)]
        name_ja: Option<String>,
        /// The donor's budget code for the line (e.g. 1.2)
        #[arg(long)]
        code: Option<String>,
        /// The amount, in the grant's currency (e.g. 150000 or 2500.50)
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// The grant's currency (JPY or USD), stated to catch a mistyped amount
        #[arg(long)]
        currency: String,
        /// Why spending differs from the budget (printed in the report)
        #[arg(long)]
        variance_note: Option<String>,
    },
    /// The budget lines of a phase: budget, spent, remaining, overspent
    List {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: String,
    },
    /// Change only the fields given
    Edit {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        /// The line's name in English
        #[arg(long)]
        name_en: Option<String>,
        /// The line's name in Japanese
        #[arg(long)]
        name_ja: Option<String>,
        /// The donor's budget code for the line; "" clears it
        #[arg(long)]
        code: Option<String>,
        /// The amount, in the grant's currency (e.g. 150000 or 2500.50)
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Why spending differs from the budget; "" clears it
        #[arg(long)]
        variance_note: Option<String>,
    },
    /// Remove a budget line; one with expenditures needs --with-expenditures
    Remove {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        /// Also remove the expenditures booked to it
        #[arg(long)]
        with_expenditures: bool,
    },
}

#[derive(Subcommand)]
pub enum SpendCommand {
    /// Record an expenditure; its date must lie in the phase's period (--phase, --date, --description, --amount and --currency are required)
    Add {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: String,
        /// A budget line of the same phase: its id or a unique prefix of it
        #[arg(long)]
        line: Option<String>,
        /// YYYY-MM-DD, within the phase's period
        #[arg(long)]
        date: String,
        /// What was bought or paid for
        #[arg(long)]
        description: String,
        /// The amount, in the expense currency (e.g. 150000 or 2500.50)
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// The currency paid in: JPY or USD (another than the grant's needs --rate)
        #[arg(long)]
        currency: String,
        /// Grant-currency units per unit of the expense currency
        #[arg(long)]
        rate: Option<String>,
        /// The day the rate was taken, YYYY-MM-DD
        #[arg(long)]
        rate_date: Option<String>,
        /// The receipt or invoice reference
        #[arg(long)]
        receipt: Option<String>,
    },
    /// The expenditures of a phase
    List {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: String,
    },
    /// Change only the fields given
    Edit {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        /// A budget line of the same phase; "" for none
        #[arg(long)]
        line: Option<String>,
        /// YYYY-MM-DD, within the phase's period
        #[arg(long)]
        date: Option<String>,
        /// What was bought or paid for
        #[arg(long)]
        description: Option<String>,
        /// The amount, in the expense currency (e.g. 150000 or 2500.50)
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// The currency paid in: JPY or USD
        #[arg(long)]
        currency: Option<String>,
        /// Grant-currency units per unit of the expense currency
        #[arg(long)]
        rate: Option<String>,
        /// The day the rate was taken, YYYY-MM-DD
        #[arg(long)]
        rate_date: Option<String>,
        /// The receipt or invoice reference
        #[arg(long)]
        receipt: Option<String>,
    },
    /// Remove an expenditure (it can be restored from `removed`)
    Remove {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
    },
}

#[derive(Args)]
pub struct TrancheFields {
    /// The amount, in the grant's currency (e.g. 150000 or 2500.50)
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    expected: Option<String>,
    /// YYYY-MM-DD; "" when it has not arrived after all
    #[arg(long)]
    received: Option<String>,
    /// Free notes
    #[arg(long)]
    notes: Option<String>,
}

#[derive(Subcommand)]
pub enum TrancheCommand {
    /// HQ: add an instalment to a phase's schedule (in the grant's currency)
    Add {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: String,
        #[command(flatten)]
        fields: TrancheFields,
    },
    /// HQ: change a tranche, e.g. record its arrival with --received
    Edit {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        #[command(flatten)]
        fields: TrancheFields,
    },
    /// Remove a tranche from the schedule (it can be restored from `removed`)
    Remove {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
    },
}

#[derive(Args)]
pub struct DueFields {
    /// YYYY-MM-DD
    #[arg(long)]
    due: Option<String>,
    /// The report's name in English
    #[arg(long)]
    label_en: Option<String>,
    /// The report's name in Japanese
    #[arg(long)]
    label_ja: Option<String>,
    /// The period the report covers
    #[arg(long)]
    period_start: Option<String>,
    /// Last day of the period (YYYY-MM-DD)
    #[arg(long)]
    period_end: Option<String>,
    /// YYYY-MM-DD the report was sent; "" clears it
    #[arg(long)]
    submitted: Option<String>,
}

impl DueFields {
    fn input(self, phase_id: Option<String>) -> ReportDueInput {
        ReportDueInput {
            phase_id,
            due_on: self.due,
            period_start: self.period_start,
            period_end: self.period_end,
            label_en: self.label_en,
            label_ja: self.label_ja,
            submitted_on: self.submitted,
        }
    }
}

#[derive(Subcommand)]
pub enum DueCommand {
    /// HQ: a report the donor expects for a phase
    Add {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: String,
        #[command(flatten)]
        fields: DueFields,
    },
    /// HQ: change a due report, e.g. record it as sent with --submitted
    Edit {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
        #[command(flatten)]
        fields: DueFields,
    },
    /// Remove a report due date (it can be restored from `removed`)
    Remove {
        /// The record's id, or a unique prefix of it (8+ characters)
        id: String,
    },
}

fn describe(g: &GrantDetail, full: bool) -> String {
    // A name recorded in one language only prints without an empty other.
    let beside = |ja: &str| if ja.is_empty() { String::new() } else { format!(" ({ja})") };
    let mut s = format!("{}  {}\n", g.grant.id, g.grant.title_en);
    if !g.grant.title_ja.is_empty() {
        s.push_str(&format!("  {}\n", g.grant.title_ja));
    }
    s.push_str(&format!("  donor: {}{}\n", g.donor.name_en, beside(&g.donor.name_ja)));
    for p in &g.phases {
        s.push_str(&format!(
            "  - {}  {}\n    {} to {}   {}   spent {}   unspent {}{}\n",
            p.phase.id,
            p.phase.title_en,
            p.phase.start.display_en(),
            p.phase.end.display_en(),
            p.phase.amount,
            p.spent_total,
            p.unspent,
            over_marks(p)
        ));
        if full {
            for pa in &p.partners {
                s.push_str(&format!("    partner: {} — {}\n", pa.name_en, pa.role_en.as_deref().unwrap_or("")));
            }
            for a in &p.activities {
                s.push_str(&format!(
                    "    activity: {}{}\n",
                    a.title_en,
                    if a.title_ja.is_empty() { String::new() } else { format!(" / {}", a.title_ja) }
                ));
                if !a.description_en.is_empty() {
                    s.push_str(&format!("      {}\n", a.description_en));
                }
            }
            for i in &p.indicators {
                let v = i
                    .value
                    .as_deref()
                    .map(|v| {
                        format!("{} {} {}", i.qualifier.as_deref().unwrap_or(""), v, i.unit.as_deref().unwrap_or(""))
                    })
                    .unwrap_or_else(|| "(computed)".into());
                s.push_str(&format!("    figure: {}: {} [{}]\n", i.label_en, v.trim(), i.kind));
            }
            for b in &p.budget_lines {
                s.push_str(&format!("    budget: {}\n", line_text(b)));
            }
            for e in &p.expenditures {
                s.push_str(&format!("    spent: {}\n", spend_text(e)));
            }
            for t in &p.tranches {
                s.push_str(&format!(
                    "    tranche: {}  {}  expected {}  {}\n",
                    t.id,
                    t.amount,
                    t.expected_on.map_or("-".into(), |d| d.to_string()),
                    t.received_on.map_or("not received".into(), |d| format!("received {d}"))
                ));
            }
            for d in &p.report_dues {
                s.push_str(&format!(
                    "    report due: {}  {}  {}  {}\n",
                    d.id,
                    d.due_on,
                    d.label_en,
                    d.submitted_on.map_or("not submitted".into(), |s| format!("submitted {s}"))
                ));
            }
        }
    }
    s.push_str(&format!("  total {}", g.total));
    s
}

/// " OVERSPENT" and/or " OVER BUDGET" as the core flags the phase.
fn over_marks(p: &PhaseDetail) -> String {
    let mut s = String::new();
    if p.overspent {
        s.push_str("  OVERSPENT");
    }
    if p.over_budget {
        s.push_str("  OVER BUDGET");
    }
    s
}

fn line_text(b: &BudgetLine) -> String {
    format!(
        "{}  {}{}  budget {}  spent {}  remaining {}{}{}",
        b.id,
        b.code.as_deref().map(|c| format!("{c} ")).unwrap_or_default(),
        b.name_en,
        b.amount,
        b.spent,
        b.remaining,
        if b.overspent { "  OVERSPENT" } else { "" },
        b.variance_note.as_deref().map(|n| format!("\n      variance: {n}")).unwrap_or_default()
    )
}

fn spend_text(e: &Expenditure) -> String {
    format!(
        "{}  {}  {}  {} → {}{}{}",
        e.id,
        e.spent_on,
        e.description,
        e.amount,
        e.converted,
        e.receipt_ref.as_deref().map(|r| format!("  receipt {r}")).unwrap_or_default(),
        if e.outside_phase { "  OUTSIDE THE PHASE (not counted)" } else { "" }
    )
}

pub fn run_grant(cmd: GrantCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        GrantCommand::List => {
            let all = k.grant_list()?;
            out.emit(&all, |o| {
                let mut parts: Vec<String> = o.grants.iter().map(|g| describe(g, false)).collect();
                parts.push(if o.totals.is_empty() {
                    // A newly joined office holds no grants until its first sync.
                    "No grants yet (an office receives them from HQ when it syncs)".to_string()
                } else {
                    format!("TOTAL GRANTED: {}", o.totals.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(" + "))
                });
                parts.join("\n")
            });
        }
        GrantCommand::Show { id } => out.emit(&k.grant_show(&id)?, |g| describe(g, true)),
        GrantCommand::Add { donor, new_donor_en, new_donor_ja, title_en, title_ja, currency, notes, mut phase } => {
            if phase.phase_title_en.is_none() {
                phase.phase_title_en = Some(title_en.clone());
                phase.phase_title_ja = phase.phase_title_ja.or(title_ja.clone());
            }
            let input = GrantInput {
                donor,
                new_donor_en,
                new_donor_ja,
                title_en,
                title_ja,
                currency,
                notes,
                phase: phase.input(None),
            };
            out.emit(&k.grant_add(&input)?, |g| describe(g, true));
        }
        GrantCommand::Edit { id, donor, title_en, title_ja, notes } => {
            out.emit(&k.grant_edit(&id, &GrantEdit { donor, title_en, title_ja, notes })?, |g| describe(g, true))
        }
        GrantCommand::Donors => out.emit(&k.grant_donors()?, |list| {
            list.iter().map(|d| format!("{}  {} / {}", d.id, d.name_en, d.name_ja)).collect::<Vec<_>>().join("\n")
        }),
    }
    Ok(())
}

fn phase_text(p: &PhaseDetail) -> String {
    format!(
        "{}  {}  {} to {}  {}  spent {}  unspent {}{}",
        p.phase.id,
        p.phase.title_en,
        p.phase.start,
        p.phase.end,
        p.phase.amount,
        p.spent_total,
        p.unspent,
        over_marks(p)
    )
}

pub fn run_phase(cmd: PhaseCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    let p = match cmd {
        PhaseCommand::Add { grant, fields } => k.phase_add(&fields.input(Some(grant)))?,
        PhaseCommand::Edit { id, fields } => k.phase_edit(&id, &fields.input(None))?,
    };
    out.emit(&p, phase_text);
    Ok(())
}

pub fn run_budget(cmd: BudgetCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        BudgetCommand::Add { phase, name_en, name_ja, code, amount, currency, variance_note } => {
            let input = BudgetLineInput { phase_id: phase, code, name_en, name_ja, amount, currency, variance_note };
            out.emit(&k.budget_line_add(&input)?, line_text);
        }
        BudgetCommand::List { phase } => {
            let lines = k.budget_list(&phase)?;
            out.emit(&lines, |l| {
                if l.is_empty() {
                    return "No budget lines".into();
                }
                l.iter().map(line_text).collect::<Vec<_>>().join("\n")
            });
        }
        BudgetCommand::Edit { id, name_en, name_ja, code, amount, variance_note } => {
            let edit = BudgetLineEdit { code, name_en, name_ja, amount, variance_note };
            out.emit(&k.budget_line_edit(&id, &edit)?, line_text);
        }
        BudgetCommand::Remove { id, with_expenditures } => {
            k.budget_line_remove(&id, with_expenditures)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed budget line {id}"));
        }
    }
    Ok(())
}

pub fn run_spend(cmd: SpendCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        SpendCommand::Add { phase, line, date, description, amount, currency, rate, rate_date, receipt } => {
            let e = k.expenditure_add(&ExpenditureInput {
                phase_id: phase,
                budget_line_id: line,
                spent_on: date,
                description,
                amount,
                currency,
                rate,
                rate_date,
                receipt_ref: receipt,
            })?;
            out.emit(&e, spend_text);
        }
        SpendCommand::List { phase } => {
            let list = k.expenditure_list(&phase)?;
            out.emit(&list, |l| {
                if l.is_empty() {
                    return "No expenditures".into();
                }
                l.iter().map(spend_text).collect::<Vec<_>>().join("\n")
            });
        }
        SpendCommand::Edit { id, line, date, description, amount, currency, rate, rate_date, receipt } => {
            let edit = ExpenditureEdit {
                budget_line_id: line,
                spent_on: date,
                description,
                amount,
                currency,
                rate,
                rate_date,
                receipt_ref: receipt,
            };
            out.emit(&k.expenditure_edit(&id, &edit)?, spend_text);
        }
        SpendCommand::Remove { id } => {
            k.expenditure_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed expenditure {id}"));
        }
    }
    Ok(())
}

pub fn run_tranche(cmd: TrancheCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    let input = |phase_id: Option<String>, f: TrancheFields| TrancheInput {
        phase_id,
        amount: f.amount,
        expected_on: f.expected,
        received_on: f.received,
        notes: f.notes,
    };
    let t = match cmd {
        TrancheCommand::Add { phase, fields } => k.tranche_add(&input(Some(phase), fields))?,
        TrancheCommand::Edit { id, fields } => k.tranche_edit(&id, &input(None, fields))?,
        TrancheCommand::Remove { id } => {
            k.tranche_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed tranche {id}"));
            return Ok(());
        }
    };
    out.emit(&t, |t| {
        format!(
            "{}  {}  expected {}  {}",
            t.id,
            t.amount,
            t.expected_on.map_or("-".into(), |d| d.to_string()),
            t.received_on.map_or("not received".into(), |d| format!("received {d}"))
        )
    });
    Ok(())
}

pub fn run_due(cmd: DueCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    let d = match cmd {
        DueCommand::Add { phase, fields } => k.report_due_add(&fields.input(Some(phase)))?,
        DueCommand::Edit { id, fields } => k.report_due_edit(&id, &fields.input(None))?,
        DueCommand::Remove { id } => {
            k.report_due_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed report due date {id}"));
            return Ok(());
        }
    };
    out.emit(&d, |d| {
        format!(
            "{}  {}  due {}  {}",
            d.id,
            d.label_en,
            d.due_on,
            d.submitted_on.map_or("not submitted".into(), |s| format!("submitted {s}"))
        )
    });
    Ok(())
}
