//! The one rule for whether a site was active in a period, used by the
//! dashboard (the period is today) and by the reports (the report's period),
//! so the two never disagree. Its answer is yes, no, or unknown: a site whose
//! dates do not say is counted as unknown and stated as such, never silently
//! dropped or counted.
//!
//! - A planned site has not operated: no.
//! - Opened after the period ended, or closed before it began: no.
//! - Closed on an unknown day, for a period from today on: no (it is closed now).
//! - No opening date: yes for a period that includes today if the site is
//!   active now; otherwise unknown (it is not known when it opened).
//! - Opened by the period's end, with a closing date on or after its start: yes.
//! - Opened by the period's end, no closing date: yes if it is still active;
//!   if it is closed (at an unknown day), yes only when it opened inside the
//!   period, else unknown.

use chrono::NaiveDate;

/// SQL for the rule over the sites table aliased `s`: 1 (active), 0 (not),
/// NULL (unknown). The dates are formatted by chrono, never typed text.
pub(crate) fn activity_sql(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> String {
    let (start, end, today) = (start.to_string(), end.to_string(), today.to_string());
    let now_in_period = start <= today && today <= end;
    format!(
        "CASE
           WHEN coalesce(s.status, 'active') = 'planned' THEN 0
           WHEN s.opened_on > '{end}' THEN 0
           WHEN s.closed_on < '{start}' THEN 0
           WHEN coalesce(s.status, 'active') = 'closed' AND s.closed_on IS NULL AND {from_today} THEN 0
           WHEN s.opened_on IS NULL THEN
             CASE WHEN {now} AND coalesce(s.status, 'active') = 'active' AND s.closed_on IS NULL THEN 1 ELSE NULL END
           WHEN s.closed_on IS NOT NULL THEN 1
           WHEN coalesce(s.status, 'active') = 'active' THEN 1
           WHEN s.opened_on >= '{start}' THEN 1
           ELSE NULL
         END",
        now = if now_in_period { "1" } else { "0" },
        from_today = if start >= today { "1" } else { "0" }
    )
}
