//! IATI 2.03 activity XML (iatistandard.org): elements in the order the
//! schema's sequence requires, narratives in English and Japanese. The
//! API gathers the activities; this module writes them and checks the rules
//! the XSD cannot (every activity has a start date and a sector, and starts
//! before it ends).

use std::io::Cursor;

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::{Error, Result};

/// Text in English, and in Japanese when known.
#[derive(Debug, Clone, Default)]
pub struct Narrative {
    pub en: String,
    pub ja: Option<String>,
}

impl Narrative {
    pub fn new(en: impl Into<String>, ja: Option<String>) -> Narrative {
        Narrative { en: en.into(), ja: ja.filter(|j| !j.trim().is_empty()) }
    }
}

/// An organisation as IATI names it.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub ref_: Option<String>,
    /// OrganisationType code (22 national NGO, 21 international NGO, ...).
    pub type_code: Option<String>,
    /// OrganisationRole code (1 funding, 2 accountable, 3 extending, 4 implementing).
    pub role: Option<String>,
    pub name: Narrative,
}

/// An activity date: type 1 planned start, 2 actual start, 3 planned end, 4 actual end.
#[derive(Debug, Clone)]
pub struct ActivityDate {
    pub type_code: u8,
    pub date: NaiveDate,
    /// Said beside the date, e.g. that the source gives only the month.
    pub note: Option<Narrative>,
}

#[derive(Debug, Clone)]
pub struct Budget {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub amount: String,
    pub currency: String,
    pub value_date: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Transaction {
    /// TransactionType: 2 commitment, 3 disbursement, 4 expenditure.
    pub type_code: u8,
    pub date: NaiveDate,
    pub amount: String,
    pub currency: String,
    pub description: Option<Narrative>,
    pub provider: Option<Org>,
    pub receiver: Option<Org>,
}

/// A place the activity works in: one prefecture.
#[derive(Debug, Clone)]
pub struct Location {
    pub ref_: String,
    pub name: Narrative,
}

#[derive(Debug, Clone)]
pub struct Sector {
    /// SectorVocabulary (1: OECD DAC 5-digit purpose codes).
    pub vocabulary: String,
    pub code: String,
    pub name: Narrative,
}

#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub identifier: String,
    /// 1 for a grant, 2 for its phases.
    pub hierarchy: u8,
    pub default_currency: String,
    pub title: Narrative,
    /// DescriptionType code (1 general, 2 objectives) and text.
    pub descriptions: Vec<(u8, Narrative)>,
    pub participating: Vec<Org>,
    /// ActivityStatus: 2 implementation, 3 finalisation, 4 closed.
    pub status: u8,
    pub dates: Vec<ActivityDate>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub locations: Vec<Location>,
    pub sectors: Vec<Sector>,
    pub budgets: Vec<Budget>,
    pub transactions: Vec<Transaction>,
    /// RelatedActivityType (1 parent, 2 child) and the other's identifier.
    pub related: Vec<(u8, String)>,
}

type W = Writer<Cursor<Vec<u8>>>;

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Rejected(format!("IATI XML: {e}"))
}

fn start(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, *v));
    }
    w.write_event(Event::Start(e)).map_err(fail)
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, *v));
    }
    w.write_event(Event::Empty(e)).map_err(fail)
}

fn end(w: &mut W, name: &str) -> Result<()> {
    w.write_event(Event::End(BytesEnd::new(name))).map_err(fail)
}

fn text_el(w: &mut W, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<()> {
    start(w, name, attrs)?;
    w.write_event(Event::Text(BytesText::new(text))).map_err(fail)?;
    end(w, name)
}

/// `<narrative>` in English (the activity's default language), then Japanese.
fn narratives(w: &mut W, n: &Narrative) -> Result<()> {
    text_el(w, "narrative", &[], &n.en)?;
    if let Some(ja) = &n.ja {
        text_el(w, "narrative", &[("xml:lang", "ja")], ja)?;
    }
    Ok(())
}

fn with_narratives(w: &mut W, name: &str, attrs: &[(&str, &str)], n: &Narrative) -> Result<()> {
    start(w, name, attrs)?;
    narratives(w, n)?;
    end(w, name)
}

fn org(w: &mut W, name: &str, o: &Org) -> Result<()> {
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    if let Some(r) = &o.ref_ {
        attrs.push(("ref", r));
    }
    if let Some(t) = &o.type_code {
        attrs.push(("type", t));
    }
    if let Some(r) = &o.role {
        attrs.push(("role", r));
    }
    with_narratives(w, name, &attrs, &o.name)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The rules the XSD does not check, as one message per broken rule.
pub fn rule_problems(activities: &[Activity]) -> Vec<String> {
    let mut out = Vec::new();
    for a in activities {
        let first = |types: [u8; 2]| a.dates.iter().find(|d| types.contains(&d.type_code)).map(|d| d.date);
        let (s, e) = (first([2, 1]), first([4, 3]));
        if s.is_none() {
            out.push(format!("{}: no start date", a.identifier));
        }
        if a.sectors.is_empty() {
            out.push(format!("{}: no sector", a.identifier));
        }
        if let (Some(s), Some(e)) = (s, e)
            && e < s
        {
            out.push(format!("{}: ends ({e}) before it starts ({s})", a.identifier));
        }
    }
    out
}

/// The activities as one `iati-activities` document. Refused if a rule of
/// [`rule_problems`] is broken.
pub fn to_xml(reporting: &Org, activities: &[Activity], generated: &str) -> Result<Vec<u8>> {
    let problems = rule_problems(activities);
    if !problems.is_empty() {
        return Err(Error::Rejected(format!("IATI rules: {}", problems.join("; "))));
    }
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).map_err(fail)?;
    start(&mut w, "iati-activities", &[("version", "2.03"), ("generated-datetime", generated)])?;
    for a in activities {
        let hierarchy = a.hierarchy.to_string();
        start(
            &mut w,
            "iati-activity",
            &[
                ("last-updated-datetime", generated),
                ("xml:lang", "en"),
                ("default-currency", &a.default_currency),
                ("hierarchy", &hierarchy),
            ],
        )?;
        text_el(&mut w, "iati-identifier", &[], &a.identifier)?;
        org(&mut w, "reporting-org", reporting)?;
        with_narratives(&mut w, "title", &[], &a.title)?;
        for (t, d) in &a.descriptions {
            with_narratives(&mut w, "description", &[("type", &t.to_string())], d)?;
        }
        for p in &a.participating {
            org(&mut w, "participating-org", p)?;
        }
        empty(&mut w, "activity-status", &[("code", &a.status.to_string())])?;
        for d in &a.dates {
            let attrs = [("type", d.type_code.to_string()), ("iso-date", day(d.date))];
            let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            match &d.note {
                Some(n) => with_narratives(&mut w, "activity-date", &attrs, n)?,
                None => empty(&mut w, "activity-date", &attrs)?,
            }
        }
        empty(&mut w, "recipient-country", &[("code", &a.country), ("percentage", "100")])?;
        for l in &a.locations {
            start(&mut w, "location", &[("ref", &l.ref_)])?;
            // 1: the activity happens here.
            empty(&mut w, "location-reach", &[("code", "1")])?;
            with_narratives(&mut w, "name", &[], &l.name)?;
            // 2: approximate (the prefecture, not a point); 1: an administrative region.
            empty(&mut w, "exactness", &[("code", "2")])?;
            empty(&mut w, "location-class", &[("code", "1")])?;
            empty(&mut w, "feature-designation", &[("code", "ADM1")])?;
            end(&mut w, "location")?;
        }
        let share = if a.sectors.is_empty() { String::new() } else { (100 / a.sectors.len()).to_string() };
        for s in &a.sectors {
            let attrs: Vec<(&str, &str)> = if a.sectors.len() > 1 {
                vec![("vocabulary", &s.vocabulary), ("code", &s.code), ("percentage", &share)]
            } else {
                vec![("vocabulary", &s.vocabulary), ("code", &s.code)]
            };
            with_narratives(&mut w, "sector", &attrs, &s.name)?;
        }
        for b in &a.budgets {
            // Type 1: original; status 2: committed.
            start(&mut w, "budget", &[("type", "1"), ("status", "2")])?;
            empty(&mut w, "period-start", &[("iso-date", &day(b.start))])?;
            empty(&mut w, "period-end", &[("iso-date", &day(b.end))])?;
            text_el(&mut w, "value", &[("currency", &b.currency), ("value-date", &day(b.value_date))], &b.amount)?;
            end(&mut w, "budget")?;
        }
        for t in &a.transactions {
            start(&mut w, "transaction", &[])?;
            empty(&mut w, "transaction-type", &[("code", &t.type_code.to_string())])?;
            empty(&mut w, "transaction-date", &[("iso-date", &day(t.date))])?;
            text_el(&mut w, "value", &[("currency", &t.currency), ("value-date", &day(t.date))], &t.amount)?;
            if let Some(d) = &t.description {
                with_narratives(&mut w, "description", &[], d)?;
            }
            if let Some(p) = &t.provider {
                org(&mut w, "provider-org", &Org { role: None, ..p.clone() })?;
            }
            if let Some(r) = &t.receiver {
                org(&mut w, "receiver-org", &Org { role: None, ..r.clone() })?;
            }
            end(&mut w, "transaction")?;
        }
        for (t, r) in &a.related {
            empty(&mut w, "related-activity", &[("ref", r), ("type", &t.to_string())])?;
        }
        end(&mut w, "iati-activity")?;
    }
    end(&mut w, "iati-activities")?;
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}
