//! `kizuna grant|budget|spend ...`

use clap::Subcommand;
use kizuna_core::model::grant::{BudgetLineInput, ExpenditureInput, GrantDetail};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum GrantCommand {
    /// Every grant with its phases and the total granted
    List,
    /// A grant (by its id or one of its phases' ids): phases, amounts, totals, activities, partners
    Show {
        /// A grant's or phase's id, or a unique prefix of it (8+ characters)
        id: String,
    },
}

#[derive(Subcommand)]
pub enum BudgetCommand {
    Add {
        #[arg(long)]
        phase: String,
        #[arg(long)]
        name_en: String,
        #[arg(long)]
        name_ja: Option<String>,
        #[arg(long)]
        code: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        currency: String,
    },
}

#[derive(Subcommand)]
pub enum SpendCommand {
    Add {
        #[arg(long)]
        phase: String,
        #[arg(long)]
        line: Option<String>,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        #[arg(long)]
        description: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        currency: String,
        /// Grant-currency units per unit of the expense currency
        #[arg(long)]
        rate: Option<String>,
        #[arg(long)]
        rate_date: Option<String>,
    },
    Remove {
        id: String,
    },
}

fn describe(g: &GrantDetail, full: bool) -> String {
    let mut s = format!(
        "{}  {}\n  {}\n  donor: {} ({})\n",
        g.grant.id, g.grant.title_en, g.grant.title_ja, g.donor.name_en, g.donor.name_ja
    );
    for p in &g.phases {
        s.push_str(&format!(
            "  - {}  {}\n    {} to {}   {}   spent {}   unspent {}\n",
            p.phase.id,
            p.phase.title_en,
            p.phase.start.display_en(),
            p.phase.end.display_en(),
            p.phase.amount,
            p.spent_total,
            p.unspent
        ));
        if full {
            for pa in &p.partners {
                s.push_str(&format!("    partner: {} — {}\n", pa.name_en, pa.role_en.as_deref().unwrap_or("")));
            }
            for a in &p.activities {
                s.push_str(&format!("    activity: {} / {}\n      {}\n", a.title_en, a.title_ja, a.description_en));
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
                s.push_str(&format!("    budget: {}  {}  spent {}\n", b.name_en, b.amount, b.spent));
            }
            for e in &p.expenditures {
                s.push_str(&format!("    spent: {}  {}  {} → {}\n", e.spent_on, e.description, e.amount, e.converted));
            }
        }
    }
    s.push_str(&format!("  total {}", g.total));
    s
}

pub fn run_grant(cmd: GrantCommand, k: &Kizuna, out: &Out) -> Result<(), Error> {
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
    }
    Ok(())
}

pub fn run_budget(cmd: BudgetCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    let BudgetCommand::Add { phase, name_en, name_ja, code, amount, currency } = cmd;
    let line = k.budget_line_add(&BudgetLineInput { phase_id: phase, code, name_en, name_ja, amount, currency })?;
    out.emit(&line, |b| format!("{}  {}  {}", b.id, b.name_en, b.amount));
    Ok(())
}

pub fn run_spend(cmd: SpendCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        SpendCommand::Add { phase, line, date, description, amount, currency, rate, rate_date } => {
            let e = k.expenditure_add(&ExpenditureInput {
                phase_id: phase,
                budget_line_id: line,
                spent_on: date,
                description,
                amount,
                currency,
                rate,
                rate_date,
            })?;
            out.emit(&e, |e| format!("{}  {}  {}  {} → {}", e.id, e.spent_on, e.description, e.amount, e.converted));
        }
        SpendCommand::Remove { id } => {
            k.expenditure_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed expenditure {id}"));
        }
    }
    Ok(())
}
