//! The network's offices. Each installation belongs to exactly one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Office {
    pub id: String,
    pub code: String,
    pub name_en: String,
    pub name_ja: String,
    pub prefecture_code: String,
    pub locality_en: String,
    pub locality_ja: String,
    pub is_hq: bool,
    /// Prefix of the member numbers this office hands out (TNO-0001).
    pub number_prefix: String,
}

/// Fields of a new office ([`crate::Kizuna::office_add`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeInput {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    /// JIS X 0401 code (or a prefecture's name).
    pub prefecture: String,
    #[ts(optional)]
    pub locality_ja: Option<String>,
    #[ts(optional)]
    pub locality_en: Option<String>,
    /// Prefix of the office's member numbers; by default the first three
    /// letters of its code, upper-cased.
    #[ts(optional)]
    pub number_prefix: Option<String>,
}

/// The four offices of the source document, in its order but HQ first: the
/// ones the seed data set holds, and so the ones an installation can be
/// initialised as without an invite. HQ adds others as data.
pub const OFFICE_CODES: [&str; 4] = ["tokyo", "tono", "fukushima", "sendai"];

/// Longest office code.
const MAX_CODE: usize = 24;

/// An office code: a lower-case ASCII letter, then letters, digits or
/// hyphens, at most [`MAX_CODE`] characters. Codes name key files, peers and
/// change origins, so they stay plain.
pub fn check_code(code: &str) -> Result<String> {
    let c = code.trim().to_ascii_lowercase();
    let b = c.as_bytes();
    let plain = b.len() >= 2
        && b.len() <= MAX_CODE
        && b[0].is_ascii_lowercase()
        && b.iter().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || *x == b'-');
    if !plain {
        return Err(Error::invalid(
            "office",
            format!(
                "'{}' is not an office code: 2-{MAX_CODE} letters, digits or hyphens, starting with a letter (e.g. kamaishi)",
                crate::model::text::clip(code.trim())
            ),
        ));
    }
    Ok(c)
}

/// A member number prefix: two to four upper-case ASCII letters. No digits,
/// so a prefix followed by an enrolment series (`TNO2`) is never another
/// office's prefix.
pub fn check_prefix(prefix: &str) -> Result<String> {
    let p = prefix.trim().to_ascii_uppercase();
    if !(2..=4).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "number_prefix",
            format!("'{}' is not a number prefix: 2-4 letters A-Z (e.g. KMS)", crate::model::text::clip(prefix.trim())),
        ));
    }
    Ok(p)
}

/// The built-in prefixes of the four seeded offices, whose seed rows carry
/// none (see migration 10).
pub fn seeded_prefix(code: &str) -> Option<&'static str> {
    match code {
        "tokyo" => Some("TKY"),
        "tono" => Some("TNO"),
        "fukushima" => Some("FKS"),
        "sendai" => Some("SDI"),
        _ => None,
    }
}

/// The prefix office `code` numbers its members with: the one its row
/// stores, else a seeded office's built-in one, else the default.
pub fn prefix_of(code: &str, stored: Option<String>) -> String {
    stored.or_else(|| seeded_prefix(code).map(str::to_string)).unwrap_or_else(|| default_prefix(code))
}

/// The prefix a new office gets unless HQ chooses one: its code's first
/// three letters.
pub fn default_prefix(code: &str) -> String {
    code.bytes().filter(u8::is_ascii_alphabetic).take(3).map(|b| b.to_ascii_uppercase() as char).collect()
}

/// A member number series as [`series`] makes it: a prefix, then the
/// enrolment's number after the first (TNO, TNO2). Checked when an invite
/// arrives.
pub fn check_series(series: &str) -> Result<()> {
    let digits = series.trim_start_matches(|c: char| c.is_ascii_uppercase());
    check_prefix(&series[..series.len() - digits.len()])?;
    if digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return Err(Error::Rejected(format!(
            "the invite's member number series '{}' is malformed",
            crate::model::text::clip(series)
        )));
    }
    Ok(())
}

/// `local_meta` key of this replica's member number series, from its invite.
pub const META_MEMBER_SERIES: &str = "member_series";

/// The member number series of an enrolment: the office's prefix for its
/// first enrolment (TNO), with the enrolment's number after it for a later
/// one (TNO2), so a re-enrolled office that starts again from an empty
/// database never hands out a number the old one did.
pub fn series(prefix: &str, enrolment: u32) -> String {
    if enrolment <= 1 { prefix.to_string() } else { format!("{prefix}{enrolment}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_prefixes_are_plain_and_series_never_meet() {
        assert_eq!(check_code(" Kamaishi ").ok().as_deref(), Some("kamaishi"));
        for bad in ["", "k", "1abc", "kama ishi", "釜石", "a/b", &"x".repeat(25)] {
            assert!(check_code(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_prefix("kms").ok().as_deref(), Some("KMS"));
        for bad in ["K", "KMSXY", "KM1", "K-S", "カマ"] {
            assert!(check_prefix(bad).is_err(), "{bad:?}");
        }
        assert_eq!(default_prefix("kamaishi"), "KAM");
        assert_eq!(default_prefix("o-2x"), "OX");
        assert_eq!(series("TNO", 1), "TNO");
        assert_eq!(series("TNO", 2), "TNO2");
        // A later series is never a prefix: prefixes have no digits.
        assert!(check_prefix(&series("TNO", 2)).is_err());
    }
}
