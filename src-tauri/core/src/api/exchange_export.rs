//! The standard exports: any synced table as CSV (UTF-8 with a byte order
//! mark, which Excel needs) or XLSX; the 3W with HXL hashtags for a date or
//! a period; and the grants as IATI 2.03 activities (each grant a parent,
//! each phase a child). Files are written atomically.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::Kizuna;
use crate::api::site_activity::activity_sql;
use crate::cell::CellValue;
use crate::dates::{ProjectDate, parse_day, today};
use crate::error::{Error, Result};
use crate::exchange::hxl::{self, W3Row};
use crate::exchange::iati::{self, Activity, ActivityDate, Budget, Location, Narrative, Org, Sector, Transaction};
use crate::exchange::tabular::{self, Table, Value};
use crate::model::site::SECTORS;
use crate::prefecture::Prefecture;

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TableFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TableExportRequest {
    /// A synced table: members, sites, contacts, gifts, ...
    pub table: String,
    pub format: TableFormat,
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HxlExportRequest {
    pub path: String,
    /// The sites active on any day from `period_start` to `period_end`
    /// (YYYY-MM-DD; one day when both are the same); every live site when absent.
    #[ts(optional)]
    pub period_start: Option<String>,
    #[ts(optional)]
    pub period_end: Option<String>,
    /// Fill #contact+email with the members' emails, which the schema
    /// registry declares personal data: for an export kept inside the network.
    #[ts(optional)]
    pub contact_emails: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IatiExportRequest {
    pub path: String,
    /// The reporting organisation's IATI identifier; identifiers of the
    /// activities start with it. `JP-JANIC` (a placeholder: JANIC has no
    /// registered IATI identifier in the source) when absent.
    #[ts(optional)]
    pub org_ref: Option<String>,
}

/// A written export.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportSaved {
    pub path: String,
    /// Data rows (table, 3W) or activities (IATI) written.
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The placeholder reporting-org identifier (see [`IatiExportRequest::org_ref`]).
pub const DEFAULT_ORG_REF: &str = "JP-JANIC";

/// DAC 5-digit purpose codes: relief co-ordination (the emergency relief
/// grant's coordination of member NGOs) and disaster prevention and
/// preparedness (the nuclear advocacy grant).
const SECTOR_COORDINATION: (&str, &str, &str) =
    ("72050", "Relief co-ordination and support services", "救援調整・支援サービス");
const SECTOR_PREVENTION: (&str, &str, &str) = ("74020", "Multi-hazard response preparedness", "複合災害への備え");

fn write_file(path: &Path, bytes: &[u8], rows: u64) -> Result<ExportSaved> {
    crate::files::write_atomic(path, bytes)?;
    Ok(ExportSaved { path: path.display().to_string(), rows, bytes: bytes.len() as u64 })
}

impl Kizuna {
    /// One synced table's live rows, every column, by id.
    pub fn export_table(&self, req: &TableExportRequest) -> Result<ExportSaved> {
        let t = crate::schema::table(req.table.trim()).ok_or_else(|| {
            let names: Vec<&str> = crate::schema::TABLES.iter().map(|t| t.name).collect();
            Error::invalid("table", format!("unknown table '{}': use one of {}", req.table.trim(), names.join(", ")))
        })?;
        let cols: Vec<&str> = t.columns.iter().map(|(c, _)| *c).filter(|c| *c != "deleted").collect();
        let mut table = Table {
            headers: std::iter::once("id").chain(cols.iter().copied()).map(str::to_string).collect(),
            rows: Vec::new(),
        };
        let sql = format!("SELECT id, {} FROM {} WHERE deleted = 0 ORDER BY id", cols.join(", "), t.name);
        self.store.with_full_cache(|| {
            let conn = self.store.conn();
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let mut row = Vec::with_capacity(cols.len() + 1);
                for i in 0..=cols.len() {
                    row.push(match CellValue::from_value_ref(r.get_ref(i)?) {
                        CellValue::Null => Value::Empty,
                        CellValue::Integer(n) => Value::Integer(n),
                        CellValue::Real(f) => Value::Real(f),
                        CellValue::Text(s) => Value::Text(s),
                    });
                }
                table.rows.push(row);
            }
            Ok(())
        })?;
        let bytes = match req.format {
            TableFormat::Csv => tabular::to_csv(&table)?,
            TableFormat::Xlsx => tabular::to_xlsx(&table, t.name)?,
        };
        write_file(Path::new(req.path.trim()), &bytes, table.rows.len() as u64)
    }

    /// The 3W rows: one per live site (active in the period, when one is
    /// given) and sector, by prefecture, municipality and site.
    pub fn hxl_rows(&self, req: &HxlExportRequest) -> Result<Vec<W3Row>> {
        let day = |f: &str, v: &Option<String>| {
            v.as_deref().filter(|s| !s.trim().is_empty()).map(|s| parse_day(f, s)).transpose()
        };
        let (start, end) = (day("period_start", &req.period_start)?, day("period_end", &req.period_end)?);
        let (start, end) = match (start, end) {
            (Some(s), Some(e)) => {
                crate::dates::check_order("period_end", Some(s), Some(e))?;
                (s, e)
            }
            (Some(s), None) => (s, s),
            (None, Some(e)) => (e, e),
            (None, None) => (NaiveDate::MIN, NaiveDate::MAX),
        };
        let period = req.period_start.is_some() || req.period_end.is_some();
        // The one rule for "active" (site_activity); a site whose activity in
        // the period is unknown stays in, its dates (or their absence) shown.
        let active = format!("AND ({}) IS NOT 0", activity_sql(start, end, today()));
        let emails = req.contact_emails.unwrap_or(false);
        let sql = format!(
            "SELECT coalesce(m.name_ja, m.name_en), m.member_no, m.email, s.sectors, s.prefecture_code, s.municipality,
                    s.name, s.name_en, s.status, s.opened_on, s.closed_on
             FROM sites s LEFT JOIN members m ON m.id = s.member_id
             WHERE s.deleted = 0 {}
             ORDER BY s.prefecture_code, s.municipality, s.name, s.id",
            if period { active.as_str() } else { "" }
        );
        let mut out = Vec::new();
        let conn = self.store.conn();
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let text =
                |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
            let pref = Prefecture::by_code(&text(4)?);
            let sectors: Vec<String> = serde_json::from_str(&text(3)?).unwrap_or_default();
            let base = W3Row {
                organisation: text(0)?,
                member_no: text(1)?,
                adm1_code: pref.map(|p| format!("JP{}", p.code)).unwrap_or_default(),
                adm1_name: pref.map(|p| p.name_en.to_string()).unwrap_or_default(),
                adm2_name: text(5)?,
                location: text(6)?,
                activity: {
                    let en = text(7)?;
                    if en.is_empty() { text(6)? } else { en }
                },
                status: text(8)?,
                start: text(9)?,
                end: text(10)?,
                email: if emails { text(2)? } else { String::new() },
                ..Default::default()
            };
            if sectors.is_empty() {
                out.push(base);
                continue;
            }
            for s in sectors {
                let label =
                    SECTORS.iter().find(|(c, _, _)| *c == s).map(|(_, en, _)| en.to_string()).unwrap_or_default();
                out.push(W3Row { sector: label, sector_code: s, ..base.clone() });
            }
        }
        Ok(out)
    }

    /// Writes the 3W with HXL hashtags as CSV.
    pub fn export_hxl(&self, req: &HxlExportRequest) -> Result<ExportSaved> {
        let rows = self.hxl_rows(req)?;
        let bytes = hxl::to_csv(&rows)?;
        write_file(Path::new(req.path.trim()), &bytes, rows.len() as u64)
    }

    /// The grants as IATI activities (see the module header).
    pub fn iati_activities(&self, org_ref: &str) -> Result<(Org, Vec<Activity>)> {
        let profile = self.profile()?;
        let reporting = Org {
            ref_: Some(org_ref.to_string()),
            // 22: national NGO.
            type_code: Some("22".into()),
            role: None,
            name: Narrative::new(profile.name_en.clone(), Some(profile.name_ja.clone())),
        };
        let implementer = Org { role: Some("4".into()), ..reporting.clone() };
        let overview = self.grant_list()?;
        let now = today();
        let mut out = Vec::new();
        for g in &overview.grants {
            let grant_ref = format!("{org_ref}-{}", ident(&g.grant.id));
            let funder = Org {
                ref_: None,
                // 60: foundation (Direct Relief is a US nonprofit foundation).
                type_code: Some("60".into()),
                role: Some("1".into()),
                name: Narrative::new(g.donor.name_en.clone(), Some(g.donor.name_ja.clone())),
            };
            let sector = if g.grant.id.contains("nuclear") { SECTOR_PREVENTION } else { SECTOR_COORDINATION };
            let sectors = vec![Sector {
                vocabulary: "1".into(),
                code: sector.0.into(),
                name: Narrative::new(sector.1, Some(sector.2.to_string())),
            }];
            let (first, last) = (
                g.phases.iter().map(|p| p.phase.start).min_by_key(|d| d.first_day()),
                g.phases.iter().map(|p| p.phase.end).max_by_key(|d| d.last_day()),
            );
            let mut children = Vec::new();
            let mut all_prefs = BTreeSet::new();
            for p in &g.phases {
                let ph = &p.phase;
                let id = format!("{org_ref}-{}", ident(&ph.id));
                let prefs = self.prefectures_active(ph.start.first_day(), ph.end.last_day())?;
                all_prefs.extend(prefs.iter().cloned());
                let mut participating = vec![funder.clone(), implementer.clone()];
                for partner in &p.partners {
                    participating.push(Org {
                        ref_: None,
                        type_code: Some(partner_type(&partner.kind).into()),
                        role: Some("4".into()),
                        name: Narrative::new(partner.name_en.clone(), partner.name_ja.clone()),
                    });
                }
                let mut descriptions = Vec::new();
                if let Some(s) = &ph.summary_en {
                    descriptions.push((1, Narrative::new(s.clone(), ph.summary_ja.clone())));
                }
                for a in &p.activities {
                    descriptions.push((
                        2,
                        Narrative::new(
                            format!("{}: {}", a.title_en, a.description_en),
                            a.description_ja.clone().map(|d| format!("{}：{d}", a.title_ja)),
                        ),
                    ));
                }
                let mut transactions = vec![Transaction {
                    type_code: 2,
                    date: ph.start.first_day(),
                    amount: ph.amount.amount_text(),
                    currency: ph.amount.currency.code().into(),
                    description: Some(Narrative::new(
                        format!("{} granted for {}", g.donor.name_en, ph.title_en),
                        Some(format!("{}による{}への助成", g.donor.name_ja, ph.title_ja)),
                    )),
                    provider: Some(funder.clone()),
                    receiver: Some(implementer.clone()),
                }];
                transactions.extend(self.disbursements_in(ph.start.first_day(), ph.end.last_day(), &implementer)?);
                for e in &p.expenditures {
                    transactions.push(Transaction {
                        type_code: 4,
                        date: e.spent_on,
                        amount: e.converted.amount_text(),
                        currency: e.converted.currency.code().into(),
                        description: Some(Narrative::new(e.description.clone(), None)),
                        provider: None,
                        receiver: None,
                    });
                }
                children.push(Activity {
                    identifier: id,
                    hierarchy: 2,
                    default_currency: g.grant.currency.code().into(),
                    title: Narrative::new(ph.title_en.clone(), Some(ph.title_ja.clone())),
                    descriptions,
                    participating,
                    status: status(ph.end, now),
                    dates: dates(ph.start, ph.end, now),
                    country: "JP".into(),
                    locations: locations(&prefs),
                    sectors: sectors.clone(),
                    budgets: vec![Budget {
                        start: ph.start.first_day(),
                        end: ph.end.last_day(),
                        amount: ph.amount.amount_text(),
                        currency: ph.amount.currency.code().into(),
                        value_date: ph.start.first_day(),
                    }],
                    transactions,
                    related: vec![(1, grant_ref.clone())],
                });
            }
            let parent = Activity {
                identifier: grant_ref.clone(),
                hierarchy: 1,
                default_currency: g.grant.currency.code().into(),
                title: Narrative::new(g.grant.title_en.clone(), Some(g.grant.title_ja.clone())),
                // IATI requires a description: the grant's notes, else its first phase's summary.
                descriptions: match (&g.grant.notes, g.phases.first().map(|p| &p.phase)) {
                    (Some(n), _) => vec![(1, Narrative::new(n.clone(), None))],
                    (None, Some(ph)) => {
                        ph.summary_en.iter().map(|s| (1, Narrative::new(s.clone(), ph.summary_ja.clone()))).collect()
                    }
                    (None, None) => vec![(1, Narrative::new(g.grant.title_en.clone(), Some(g.grant.title_ja.clone())))],
                },
                participating: vec![funder.clone(), implementer.clone()],
                status: last.map_or(2, |l| status(l, now)),
                dates: match (first, last) {
                    (Some(f), Some(l)) => dates(f, l, now),
                    _ => Vec::new(),
                },
                country: "JP".into(),
                locations: locations(&all_prefs),
                sectors,
                budgets: Vec::new(),
                transactions: Vec::new(),
                related: children.iter().map(|c| (2, c.identifier.clone())).collect(),
            };
            out.push(parent);
            out.extend(children);
        }
        Ok((reporting, out))
    }

    /// Writes the IATI activities of every grant.
    pub fn export_iati(&self, req: &IatiExportRequest) -> Result<ExportSaved> {
        let org_ref = req.org_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).unwrap_or(DEFAULT_ORG_REF);
        if !org_ref.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Error::invalid(
                "org_ref",
                format!("'{org_ref}' is not an IATI organisation identifier (letters, digits, hyphens)"),
            ));
        }
        let (reporting, activities) = self.iati_activities(org_ref)?;
        let generated = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let bytes = iati::to_xml(&reporting, &activities, &generated)?;
        write_file(Path::new(req.path.trim()), &bytes, activities.len() as u64)
    }

    /// JIS codes of the prefectures with a site active in the period, or,
    /// with no site records, the prefectures the member registry names.
    fn prefectures_active(&self, start: NaiveDate, end: NaiveDate) -> Result<BTreeSet<String>> {
        let sql = format!(
            "SELECT DISTINCT s.prefecture_code FROM sites s WHERE s.deleted = 0 AND ({}) = 1",
            activity_sql(start, end, today())
        );
        let mut stmt = self.store.conn().prepare(&sql)?;
        let found = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let found: BTreeSet<String> = found.into_iter().flatten().collect();
        if !found.is_empty() {
            return Ok(found);
        }
        let mut stmt = self.store.conn().prepare("SELECT prefectures FROM members WHERE deleted = 0")?;
        let lists = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lists
            .into_iter()
            .flatten()
            .flat_map(|l| serde_json::from_str::<Vec<String>>(&l).unwrap_or_default())
            .collect())
    }

    /// The pooled fund's distributions in the period, as disbursements.
    fn disbursements_in(&self, start: NaiveDate, end: NaiveDate, from: &Org) -> Result<Vec<Transaction>> {
        let mut stmt = self.store.conn().prepare(
            "SELECT distributed_on, amount, currency, json_array_length(member_order) FROM distributions
             WHERE deleted = 0 AND distributed_on BETWEEN ?1 AND ?2 ORDER BY distributed_on, id",
        )?;
        let rows = stmt.query_map(params![start.to_string(), end.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<i64>>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (on, amount, currency, n) = row?;
            let Ok(date) = parse_day("distributed_on", &on) else { continue };
            out.push(Transaction {
                type_code: 3,
                date,
                amount,
                currency,
                description: Some(Narrative::new(
                    format!("Pooled relief fund distribution to {} member NGOs", n.unwrap_or(0)),
                    Some(format!("共同救援基金から会員NGO {}団体への分配", n.unwrap_or(0))),
                )),
                provider: Some(Org { role: None, ..from.clone() }),
                receiver: None,
            });
        }
        Ok(out)
    }
}

/// A record id as part of an IATI identifier: `phase:erp-1` → `phase-erp-1`.
fn ident(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

/// IATI OrganisationType of a partner kind.
fn partner_type(kind: &str) -> &'static str {
    match kind {
        "local_ngo" => "24",
        "network" => "22",
        "international_ngo" => "21",
        "government" => "10",
        "company" => "70",
        _ => "90",
    }
}

/// 4 (closed) once the end has passed, else 2 (implementation).
fn status(end: ProjectDate, today: NaiveDate) -> u8 {
    if end.last_day() < today { 4 } else { 2 }
}

/// Start and end as actual dates once passed, planned before; a date the
/// source gives only to the month says so beside the day IATI requires.
fn dates(start: ProjectDate, end: ProjectDate, today: NaiveDate) -> Vec<ActivityDate> {
    let note = |d: ProjectDate, day: NaiveDate| {
        d.is_month_only().then(|| {
            Narrative::new(
                format!(
                    "The source gives only the month, {}; IATI requires a day, so {day} stands for the month.",
                    d.display_en()
                ),
                Some(format!("出典は月単位（{}）のみ。IATIは日付を必須とするため、{day}で月を表す。", d.display_ja())),
            )
        })
    };
    let (s, e) = (start.first_day(), end.last_day());
    vec![
        ActivityDate { type_code: if s <= today { 2 } else { 1 }, date: s, note: note(start, s) },
        ActivityDate { type_code: if e < today { 4 } else { 3 }, date: e, note: note(end, e) },
    ]
}

fn locations(prefs: &BTreeSet<String>) -> Vec<Location> {
    prefs
        .iter()
        .filter_map(|c| Prefecture::by_code(c))
        .map(|p| Location {
            ref_: format!("JP-{}", p.code),
            name: Narrative::new(p.name_en, Some(p.name_ja.to_string())),
        })
        .collect()
}
