//! Project dates as the source states them: to the day (2011-03-11) or only
//! to the month (2014-04). A month-precision date is never widened to an
//! invented day; comparisons use its first or last day as the context needs.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TS)]
#[ts(export, type = "string")]
pub enum ProjectDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

impl ProjectDate {
    pub fn parse(field: &str, s: &str) -> Result<ProjectDate> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(ProjectDate::Day(d));
        }
        if let Some((y, m)) = s.split_once('-')
            && let (Ok(year), Ok(month)) = (y.parse::<i32>(), m.parse::<u32>())
            && y.len() == 4
            && m.len() == 2
            && (1..=12).contains(&month)
        {
            return Ok(ProjectDate::Month { year, month });
        }
        Err(Error::invalid(
            field,
            format!("'{s}' is not a date: use YYYY-MM-DD (or YYYY-MM where only the month is known)"),
        ))
    }

    pub fn first_day(self) -> NaiveDate {
        match self {
            ProjectDate::Day(d) => d,
            ProjectDate::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN),
        }
    }

    pub fn last_day(self) -> NaiveDate {
        match self {
            ProjectDate::Day(d) => d,
            ProjectDate::Month { year, month } => {
                let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
            }
        }
    }

    pub fn is_month_only(self) -> bool {
        matches!(self, ProjectDate::Month { .. })
    }

    /// English display: "March 11, 2011" or "April 2014".
    pub fn display_en(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self {
            ProjectDate::Day(d) => format!("{} {}, {}", MONTHS[d.month0() as usize], d.day(), d.year()),
            ProjectDate::Month { year, month } => format!("{} {}", MONTHS[(month - 1) as usize], year),
        }
    }

    /// Japanese display: "2011年3月11日" or "2014年4月".
    pub fn display_ja(self) -> String {
        match self {
            ProjectDate::Day(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            ProjectDate::Month { year, month } => format!("{year}年{month}月"),
        }
    }
}

impl fmt::Display for ProjectDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            ProjectDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

impl Serialize for ProjectDate {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ProjectDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ProjectDate::parse("date", &s).map_err(serde::de::Error::custom)
    }
}

/// Parses a plain calendar date given as YYYY-MM-DD.
pub fn parse_day(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("'{}' is not a date: use YYYY-MM-DD", s.trim())))
}

/// Refuses a range whose end comes before its start.
pub fn check_order(end_field: &str, start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(Error::invalid(end_field, format!("end date {e} is before start date {s}")));
    }
    Ok(())
}
