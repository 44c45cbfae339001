//! The values people type into Japanese spreadsheets, read into the text
//! forms manual entry takes. A day may be written 2011/3/11, 2011年3月11日,
//! 平成23年3月11日 or H23.3.11 (and full-width); it becomes 2011-03-11. Only
//! the form is normalised here: whether the day exists is decided by the
//! model's own date rule, so 2011-02-30 gets the message manual entry gives.

use unicode_normalization::UnicodeNormalization;

use crate::exchange::sheet::SheetCell;

/// Japanese eras: name, Latin initial, the Gregorian year of its first year.
const ERAS: [(&str, char, i32); 5] =
    [("令和", 'R', 2019), ("平成", 'H', 1989), ("昭和", 'S', 1926), ("大正", 'T', 1912), ("明治", 'M', 1868)];

/// The text of a cell as a person would have typed it. Whole numbers lose
/// Excel's ".0"; a date cell is YYYY-MM-DD.
pub fn cell_text(cell: &SheetCell) -> String {
    match cell {
        SheetCell::Empty => String::new(),
        SheetCell::Text(s) => s.trim().to_string(),
        SheetCell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        SheetCell::Number(n) => n.to_string(),
        SheetCell::Date(d) => d.to_string(),
        SheetCell::Bool(b) => b.to_string(),
        SheetCell::Formula(f) => f.clone(),
        SheetCell::Error(e) => e.clone(),
    }
}

/// A day in any of the accepted forms as YYYY-MM-DD; text in no known form
/// comes back as typed (trimmed), for the date rule to refuse.
pub fn normalise_day(typed: &str) -> String {
    // 元年 is the first year of an era.
    let t: String = typed.trim().nfkc().collect::<String>().replace("元年", "1年");
    match split_day(&t) {
        Some((y, m, d)) => {
            // Zero-padded whether or not the day exists: the rule decides that.
            if (1..=9999).contains(&y) { format!("{y:04}-{m:02}-{d:02}") } else { typed.trim().to_string() }
        }
        None => typed.trim().to_string(),
    }
}

/// (year, month, day) of a date in one of the accepted forms.
fn split_day(t: &str) -> Option<(i32, u32, u32)> {
    let (base, rest) = era(t).unwrap_or((0, t));
    let rest = rest.trim().trim_end_matches('日');
    let parts: Vec<&str> = rest.split(['/', '-', '.', '年', '月']).map(str::trim).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let (m, d): (u32, u32) = (parts[1].parse().ok()?, parts[2].parse().ok()?);
    if parts[1].len() > 2 || parts[2].len() > 2 {
        return None;
    }
    let year = if base > 0 {
        if !(1..=99).contains(&y) {
            return None;
        }
        base + y - 1
    } else if parts[0].len() == 4 {
        y
    } else {
        return None;
    };
    Some((year, m, d))
}

/// The era a date starts with, and the rest: 平成23年..., H23.3.11.
fn era(t: &str) -> Option<(i32, &str)> {
    for (name, initial, base) in ERAS {
        if let Some(rest) = t.strip_prefix(name) {
            return Some((base, rest.trim_start()));
        }
        let mut chars = t.chars();
        if chars.next().is_some_and(|c| c.eq_ignore_ascii_case(&initial)) {
            let rest = chars.as_str().trim_start_matches('.');
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return Some((base, rest));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_japanese_forms() {
        for (typed, want) in [
            ("平成23年3月11日", "2011-03-11"),
            ("2011/3/11", "2011-03-11"),
            ("2011年3月11日", "2011-03-11"),
            ("H23.3.11", "2011-03-11"),
            ("２０１１／３／１１", "2011-03-11"),
            ("令和元年5月1日", "2019-05-01"),
            ("2011-03-11", "2011-03-11"),
            ("2011/2/30", "2011-02-30"),
            ("2011-02-30", "2011-02-30"),
            ("someday", "someday"),
        ] {
            assert_eq!(normalise_day(typed), want, "{typed}");
        }
    }
}
