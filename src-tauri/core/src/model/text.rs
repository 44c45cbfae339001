//! Checks shared by every text field a person types.

use crate::error::{Error, Result};

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 10_000;

/// Trims, refuses control characters and over-long input; `None` for blank.
pub fn optional(field: &str, value: &str, max: usize) -> Result<Option<String>> {
    check(field, value, max)?;
    let v = value.trim();
    Ok((!v.is_empty()).then(|| v.to_string()))
}

/// [`optional`]'s checks alone, without a copy: merges check millions of cells.
pub fn check(field: &str, value: &str, max: usize) -> Result<()> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(Error::invalid(field, format!("is longer than {max} characters")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

pub fn required(field: &str, value: &str, max: usize) -> Result<String> {
    optional(field, value, max)?.ok_or_else(|| Error::invalid(field, "is required"))
}

pub fn email(field: &str, value: &str) -> Result<Option<String>> {
    let Some(v) = optional(field, value, MAX_NAME)? else { return Ok(None) };
    let ok = v.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    }) && !v.contains(char::is_whitespace)
        && v.matches('@').count() == 1;
    if !ok {
        return Err(Error::invalid(field, format!("'{v}' is not an email address")));
    }
    Ok(Some(v))
}

pub fn phone(field: &str, value: &str) -> Result<Option<String>> {
    let Some(v) = optional(field, value, 40)? else { return Ok(None) };
    let normal: String = unicode_normalization::UnicodeNormalization::nfkc(v.as_str()).collect();
    if !normal.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')')) {
        return Err(Error::invalid(field, format!("'{v}' is not a phone number")));
    }
    Ok(Some(normal))
}

/// A time of day as HH:MM; "9:30" is accepted and stored as "09:30".
pub fn time(field: &str, value: &str) -> Result<Option<String>> {
    let Some(v) = optional(field, value, 10)? else { return Ok(None) };
    let digits =
        |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let parsed = v
        .split_once(':')
        .filter(|(h, m)| digits(h, 1..=2) && digits(m, 2..=2))
        .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(h, m)| *h < 24 && *m < 60);
    match parsed {
        Some((h, m)) => Ok(Some(format!("{h:02}:{m:02}"))),
        None => Err(Error::invalid(field, format!("'{}' is not a time of day: use HH:MM", clip(&v)))),
    }
}

/// A reading (furigana) in kana: hiragana, katakana (full or half width),
/// the long vowel mark, the middle dot, spaces and Latin letters or digits
/// (for names such as "NGOさぽーと"); kanji are refused, since a reading
/// exists to say how they are read.
pub fn reading(field: &str, value: &str) -> Result<Option<String>> {
    let Some(v) = optional(field, value, MAX_NAME)? else { return Ok(None) };
    let kana = |c: char| {
        matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{FF65}'..='\u{FF9F}' | '\u{FF10}'..='\u{FF5A}')
            || c.is_ascii_alphanumeric()
            || c.is_whitespace()
            || matches!(c, '-' | '.' | '&' | '\'')
    };
    if let Some(bad) = v.chars().find(|c| !kana(*c)) {
        return Err(Error::invalid(field, format!("must be written in kana: '{bad}' is not kana")));
    }
    Ok(Some(v))
}

/// A value quoted in an error message: its first 40 characters, with an
/// ellipsis when there were more.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}
