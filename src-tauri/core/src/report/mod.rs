//! Direct Relief reports as PDF: the partner profile and the phase report.
//!
//! `api::reports` gathers and computes every figure (plain data, in
//! `figures`); this module only lays them out. `layout` is a small flow engine writing PDF content
//! streams, `pdf` writes the document (printpdf) with deterministic bytes, `font` holds Noto Sans JP
//! and its build-time glyph table.

pub mod chart;
pub mod figures;
pub mod font;
pub mod fund;
pub mod layout;
pub mod map;
pub mod matching;
pub mod narrative;
pub mod pdf;
pub mod phase;
pub mod profile;
pub mod receipt;
pub mod signoff;
pub mod wrap;
pub mod xlsx;

use chrono::{DateTime, Utc};

use crate::dates::ProjectDate;
use crate::model::grant::{Donor, Grant, GrantOverview, PhaseDetail};
use crate::model::office::Office;
use crate::model::profile::Profile;
use crate::money::{Money, group_thousands};
use crate::report::figures::{PhaseFigures, ReportFigure};

/// The marks of a text printed in the language it was recorded in.
pub const ORIGINAL_EN_JA: &str = "（英語原文）";
pub const ORIGINAL_JA_EN: &str = "(Japanese original) ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// The donor's edition: English, Japanese names beside the English ones.
    En,
    /// The network's own edition.
    Ja,
}

impl Lang {
    /// "en" (or nothing) or "ja", as a request names the language.
    pub fn parse(given: Option<&str>) -> crate::error::Result<Lang> {
        match given.map(|l| l.trim().to_ascii_lowercase()) {
            None => Ok(Lang::En),
            Some(l) if l.is_empty() || l == "en" => Ok(Lang::En),
            Some(l) if l == "ja" => Ok(Lang::Ja),
            Some(l) => Err(crate::error::Error::invalid("lang", format!("unknown language '{l}': use en or ja"))),
        }
    }

    pub fn t<'a>(self, en: &'a str, ja: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }

    /// A name in the edition's language, with the other beside it when it
    /// differs: "Sendai (仙台市青葉区)" / "仙台市青葉区".
    pub fn name(self, en: &str, ja: Option<&str>) -> String {
        let ja = ja.map(str::trim).filter(|j| !j.is_empty());
        match (self, ja) {
            (_, None) => en.to_string(),
            (Lang::En, Some(j)) if j == en || en.is_empty() => j.to_string(),
            (Lang::En, Some(j)) => format!("{en} ({j})"),
            (Lang::Ja, Some(j)) => j.to_string(),
        }
    }

    /// Prefer the edition's language, fall back to the other.
    pub fn pick<'a>(self, en: &'a str, ja: Option<&'a str>) -> &'a str {
        match (self, ja.map(str::trim).filter(|j| !j.is_empty())) {
            (Lang::Ja, Some(j)) => j,
            _ => en,
        }
    }

    /// A text in the edition's language. Where only the other language was
    /// recorded it is printed as recorded, marked so the reader sees it is
    /// not a translation: "（英語原文）…" / "(Japanese original) …".
    pub fn text(self, en: Option<&str>, ja: Option<&str>) -> Option<String> {
        fn clean(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        match (self, clean(en), clean(ja)) {
            (Lang::En, Some(e), _) => Some(e.to_string()),
            (Lang::Ja, _, Some(j)) => Some(j.to_string()),
            (Lang::Ja, Some(e), None) => Some(format!("{ORIGINAL_EN_JA}{e}")),
            (Lang::En, None, Some(j)) => Some(format!("{ORIGINAL_JA_EN}{j}")),
            (_, None, None) => None,
        }
    }

    pub fn date(self, d: ProjectDate) -> String {
        match self {
            Lang::En => d.display_en(),
            Lang::Ja => d.display_ja(),
        }
    }

    pub fn range(self, a: ProjectDate, b: ProjectDate) -> String {
        match self {
            Lang::En => format!("{} – {}", a.display_en(), b.display_en()),
            Lang::Ja => format!("{}～{}", a.display_ja(), b.display_ja()),
        }
    }

    pub fn code(self) -> &'static str {
        self.t("en", "ja")
    }
}

pub fn money(m: Money) -> String {
    m.to_string()
}

/// "1,500" from "1500"; anything that is not a plain number is returned as is.
pub fn number(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.') { group_thousands(s) } else { s.to_string() }
}

/// A figure as a sentence fragment: "over 50 organizations" / "50団体以上".
pub fn figure_value(lang: Lang, f: &ReportFigure) -> String {
    let n = number(&f.value);
    let unit_en = f.unit.clone().unwrap_or_default();
    let unit_ja = match f.unit.as_deref() {
        Some("organizations") => "団体",
        Some("sites") => "拠点",
        Some("donors") => "人",
        Some("USD") => "米ドル",
        Some("JPY") => "円",
        Some(other) => other,
        None => "",
    };
    match lang {
        Lang::En => {
            let body = if unit_en.is_empty() { n } else { format!("{n} {unit_en}") };
            match f.qualifier.as_deref() {
                Some("over") => format!("over {body}"),
                Some("average") => format!("an average of {body}"),
                Some("about") => format!("about {body}"),
                _ => body,
            }
        }
        Lang::Ja => {
            let body = format!("{n}{unit_ja}");
            match f.qualifier.as_deref() {
                Some("over") => format!("{body}以上"),
                Some("average") => format!("平均{body}"),
                Some("about") => format!("約{body}"),
                _ => body,
            }
        }
    }
}

/// A site active in the reporting period, for the appendix.
#[derive(Debug, Clone)]
pub struct ReportSite {
    pub prefecture_code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub municipality: String,
    pub member_id: String,
    pub member_en: Option<String>,
    pub member_ja: Option<String>,
    /// "active" or "closed" (planned sites are never in a report).
    pub status: String,
    /// (latitude, longitude), when recorded.
    pub point: Option<(f64, f64)>,
    /// Closed by the period's end (or closed on a day not recorded).
    pub closed_in_period: bool,
}

pub struct PhaseData {
    pub lang: Lang,
    pub profile: Profile,
    pub donor: Donor,
    pub grant: Grant,
    pub detail: PhaseDetail,
    pub figures: PhaseFigures,
    pub sites: Vec<ReportSite>,
    pub as_of: DateTime<Utc>,
    /// False when the records are the untouched seed: no date is stated then.
    pub dated: bool,
    /// The period's narrative and sign-off, when one is recorded.
    pub narrative: Option<crate::model::narrative::Narrative>,
    /// A final report (its narrative is complete); otherwise a draft.
    pub final_report: bool,
    /// The report includes demo records: every page says so.
    pub sample: bool,
    /// When the records of each office were last received.
    pub offices: Vec<signoff::OfficeSync>,
}

pub struct ProfileData {
    pub lang: Lang,
    pub profile: Profile,
    pub offices: Vec<Office>,
    pub relationship: Vec<ReportFigure>,
    pub overview: GrantOverview,
    pub as_of: DateTime<Utc>,
    /// False when the records are the untouched seed: no date is stated then.
    pub dated: bool,
}

pub fn as_of_label(lang: Lang, t: DateTime<Utc>, dated: bool) -> String {
    if !dated {
        return lang.t("the embedded source data set", "収録の出典データ").to_string();
    }
    lang.date(ProjectDate::Day(t.date_naive()))
}
