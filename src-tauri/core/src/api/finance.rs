//! A phase's financial statement for a reporting period: the one place that
//! decides which expenditures count (those the phase covers, see
//! `Phase::covers`), what each budget line has left and which are
//! overspent. The report, the app and the CLI show these figures as they are.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::Result;
use crate::model::grant::PhaseDetail;
use crate::money::Money;
use crate::report::figures::{FinancialStatement, MonthSpend, StatementLine};

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn negative(m: Money) -> bool {
    m.amount < Decimal::ZERO
}

/// The statement of `detail` for the period `start` to `end`.
pub(crate) fn statement(detail: &PhaseDetail, start: NaiveDate, end: NaiveDate) -> Result<FinancialStatement> {
    // Totals are kept in the grant's currency, which expenditures are converted into.
    let currency = detail.budget_total.currency;
    let zero = Money::zero(currency);
    let mut in_period: BTreeMap<Option<&str>, Money> = BTreeMap::new();
    let mut to_date: BTreeMap<Option<&str>, Money> = BTreeMap::new();
    let mut months: BTreeMap<String, Money> = BTreeMap::new();
    let mut d = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    while d <= end {
        months.insert(month_key(d), zero);
        d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
    }
    for e in detail.expenditures.iter().filter(|e| !e.outside_phase) {
        if e.spent_on > end {
            continue;
        }
        let key = e.budget_line_id.as_deref().filter(|l| detail.budget_lines.iter().any(|b| b.id == *l));
        let slot = to_date.entry(key).or_insert(zero);
        *slot = slot.add("spent", e.converted)?;
        if e.spent_on >= start {
            let slot = in_period.entry(key).or_insert(zero);
            *slot = slot.add("spent", e.converted)?;
            if let Some(m) = months.get_mut(&month_key(e.spent_on)) {
                *m = m.add("by_month", e.converted)?;
            }
        }
    }
    let mut lines = Vec::with_capacity(detail.budget_lines.len() + 1);
    for b in &detail.budget_lines {
        let spent_to_date = to_date.get(&Some(b.id.as_str())).copied().unwrap_or(zero);
        let budget = if b.amount.currency == currency { b.amount } else { zero };
        let remaining = budget.sub("remaining", spent_to_date)?;
        lines.push(StatementLine {
            name_en: b.name_en.clone(),
            name_ja: b.name_ja.clone(),
            code: b.code.clone(),
            budget: Some(b.amount),
            spent_in_period: in_period.get(&Some(b.id.as_str())).copied().unwrap_or(zero),
            spent_to_date,
            remaining: Some(remaining),
            overspent: negative(remaining),
            variance_note: b.variance_note.clone(),
        });
    }
    if to_date.contains_key(&None) {
        lines.push(StatementLine {
            name_en: "Not assigned to a budget line".into(),
            name_ja: Some("予算項目なし".into()),
            code: None,
            budget: None,
            spent_in_period: in_period.get(&None).copied().unwrap_or(zero),
            spent_to_date: to_date.get(&None).copied().unwrap_or(zero),
            remaining: None,
            overspent: false,
            variance_note: None,
        });
    }
    let mut spent_in = zero;
    let mut spent_all = zero;
    for l in &lines {
        spent_in = spent_in.add("spent_in_period", l.spent_in_period)?;
        spent_all = spent_all.add("spent_to_date", l.spent_to_date)?;
    }
    let granted = if detail.phase.amount.currency == currency { detail.phase.amount } else { zero };
    let unspent = granted.sub("unspent", spent_all)?;
    let remaining = detail.budget_total.sub("remaining", spent_all)?;
    Ok(FinancialStatement {
        budget_total: detail.budget_total,
        spent_in_period: spent_in,
        spent_to_date: spent_all,
        unspent,
        by_month: months.into_iter().map(|(month, spent)| MonthSpend { month, spent }).collect(),
        over_budget: !detail.budget_lines.is_empty() && negative(remaining),
        overspent: negative(unspent),
        remaining,
        lines,
    })
}
