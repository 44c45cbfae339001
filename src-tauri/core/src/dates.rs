//! Project dates as the source states them: to the day (2011-03-11) or only
//! to the month (2014-04). A month-precision date is never widened to an
//! invented day; comparisons use its first or last day as the context needs.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use crate::error::{Error, Result};

/// English month names, for display and for saying which day a month lacks.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TS)]
#[ts(export, type = "string")]
pub enum ProjectDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

impl ProjectDate {
    pub fn parse(field: &str, s: &str) -> Result<ProjectDate> {
        let s = s.trim();
        if let Some(d) = ymd(s) {
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

/// Today in this computer's time zone: the day a record made now is dated.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A day typed as YYYY-MM-DD, or today when none is given.
pub fn day_or_today(field: &str, v: Option<&str>) -> Result<NaiveDate> {
    match v.filter(|v| !v.trim().is_empty()) {
        Some(v) => parse_day(field, v),
        None => Ok(today()),
    }
}

/// Parses a plain calendar date given as YYYY-MM-DD.
pub fn parse_day(field: &str, s: &str) -> Result<NaiveDate> {
    let s = s.trim();
    ymd(s).ok_or_else(|| Error::invalid(field, format!("'{s}' is not a date: {}", why_not_a_day(s))))
}

/// Why a string is not a day: a wrong shape, or a well-formed YYYY-MM-DD
/// naming a month or day the calendar does not have (there is no 30 February).
fn why_not_a_day(s: &str) -> String {
    let parts: Vec<&str> = s.split('-').collect();
    let numbers: Option<Vec<u32>> = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            parts.iter().map(|p| p.bytes().all(|b| b.is_ascii_digit()).then(|| p.parse().ok()).flatten()).collect()
        }
        _ => None,
    };
    let Some([year, month, day]) = numbers.as_deref().and_then(|n| <[u32; 3]>::try_from(n).ok()) else {
        return "use YYYY-MM-DD".into();
    };
    if !(1..=12).contains(&month) {
        return format!("there is no month {month} (months are 01 to 12)");
    }
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let days = NaiveDate::from_ymd_opt(next_year as i32, next_month, 1)
        .and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(31);
    let name = MONTHS[(month - 1) as usize];
    if day == 0 {
        format!("days start at 01; there is no {name} 0")
    } else {
        format!("there is no {day} {name} in {year} ({name} {year} has {days} days)")
    }
}

/// A real date as YYYY-MM-DD: the zero-padded form at once (merges check
/// millions of them, and chrono interprets its format string on each call),
/// any other form that chrono's `%Y-%m-%d` reads through chrono.
fn ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |from: usize, to: usize| {
            b[from..to].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if let (Some(y), Some(m), Some(d)) = (num(0, 4), num(5, 7), num(8, 10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_day_says_why() {
        let message = |s: &str| parse_day("opened_on", s).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            message("2011-02-30"),
            "opened_on: '2011-02-30' is not a date: there is no 30 February in 2011 (February 2011 has 28 days)"
        );
        assert!(message("2012-02-30").contains("February 2012 has 29 days"));
        assert!(message("2011-13-01").contains("there is no month 13"));
        assert!(message("2011-04-31").contains("there is no 31 April in 2011"));
        assert!(message("2011/03/11").ends_with("use YYYY-MM-DD"));
        assert!(message("next week").ends_with("use YYYY-MM-DD"));
        assert!(parse_day("opened_on", "2012-02-29").is_ok());
    }

    #[test]
    fn days_read_exactly_as_chrono_reads_them() {
        let samples = [
            "2011-03-11",
            "2011-02-30",
            "2012-02-29",
            "2013-02-29",
            "2011-4-1",
            "2011-04-1",
            "0001-01-01",
            "9999-12-31",
            "2011-13-01",
            "2011-00-10",
            "2011-03-00",
            "2011/03/11",
            "２０１１-03-11",
            "2011-03-11x",
            "+2011-03-11",
            "-011-03-11",
            "20110-3-11",
            "",
            "2011-03-1a",
        ];
        for s in samples {
            assert_eq!(ymd(s), NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(), "{s:?}");
        }
    }
}
