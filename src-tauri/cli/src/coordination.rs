//! `kizuna meeting stats`: the coordination figures as the core computes them.

use clap::Args;
use kizuna_core::model::meeting::{CoordinationQuery, CoordinationStats};

#[derive(Args)]
pub struct StatsArgs {
    /// YYYY-MM-DD, inclusive (default: from the first meeting)
    #[arg(long)]
    from: Option<String>,
    /// YYYY-MM-DD, inclusive (default: today); follow-ups are overdue and members inactive as of this day
    #[arg(long)]
    to: Option<String>,
    /// Hosting office code
    #[arg(long)]
    office: Option<String>,
    /// Meetings in this prefecture, members working in it
    #[arg(long)]
    prefecture: Option<String>,
    /// List members at no meeting for this many months (default 6)
    #[arg(long)]
    inactive_months: Option<u32>,
}

impl StatsArgs {
    pub fn query(self) -> CoordinationQuery {
        CoordinationQuery {
            from: self.from,
            to: self.to,
            office: self.office,
            prefecture: self.prefecture,
            inactive_months: self.inactive_months,
        }
    }
}

pub fn describe(c: &CoordinationStats) -> String {
    let dash = || "-".to_string();
    let mut s = format!(
        "Period: {} to {}\n\
         Meetings held:                 {}\n\
         Meetings with attendance:      {}\n\
         Organisations per meeting:     mean {}, median {}\n\
         Member NGOs reached:           {}\n\
         Other organisations reached:   {}\n",
        c.from.map(|d| d.to_string()).unwrap_or_else(|| "the first meeting".into()),
        c.to,
        c.meetings,
        c.meetings_with_attendance,
        c.organisations_mean.map(|d| d.to_string()).unwrap_or_else(dash),
        c.organisations_median.map(|d| d.to_string()).unwrap_or_else(dash),
        c.member_ngos_reached,
        c.other_organisations_reached,
    );
    s.push_str(&format!("Members at no meeting for {} months: {}", c.inactive_months, c.not_attended.len()));
    for m in &c.not_attended {
        s.push_str(&format!(
            "\n  {}  {} / {}  last attended {}",
            m.member_no,
            m.name_ja,
            m.name_en,
            m.last_attended.map(|d| d.to_string()).unwrap_or_else(|| "never".into())
        ));
    }
    s.push_str(&format!("\nOverdue follow-ups: {}", c.overdue_follow_ups.len()));
    for f in &c.overdue_follow_ups {
        s.push_str(&format!("\n  {}", crate::follow_ups::line(f)));
    }
    s
}
