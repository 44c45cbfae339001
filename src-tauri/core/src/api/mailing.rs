//! Mailing lists: subscriptions, opt-outs and bounces, exports, reach.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Row, params};

use crate::api::members::opt_date;
use crate::api::not_found;
use crate::api::{Kizuna, new_id, pair_id};
use crate::dates::{day_or_today, parse_day};
use crate::error::{Error, Result};
use crate::model::mailing::{
    ListExport, ListExportRequest, ListFormat, ListReach, MailingList, MailingListInput, Subscription,
};
use crate::store::CellValue;

const LIST_COLUMNS: &str = "l.id, l.name_ja, l.name_en, l.description,
    (SELECT count(*) FROM subscriptions s JOIN contacts c ON c.id = s.contact_id AND c.deleted = 0
     WHERE s.list_id = l.id AND s.deleted = 0 AND s.opted_out_on IS NULL),
    (SELECT count(*) FROM subscriptions s WHERE s.list_id = l.id AND s.deleted = 0 AND s.opted_out_on IS NOT NULL),
    (SELECT count(*) FROM subscriptions s WHERE s.list_id = l.id AND s.deleted = 0 AND s.bounced = 1
        AND s.opted_out_on IS NULL)";

fn list_from_row(r: &Row<'_>) -> rusqlite::Result<MailingList> {
    Ok(MailingList {
        id: r.get(0)?,
        name_ja: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        name_en: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        description: r.get(3)?,
        subscribers: r.get(4)?,
        opted_out: r.get(5)?,
        bounced: r.get(6)?,
    })
}

const SUBSCRIPTION_COLUMNS: &str = "s.id, s.list_id, s.contact_id, c.name_ja, c.name_en, c.email,
    coalesce(mb.name_ja, g.name_ja), s.subscribed_on, s.opted_out_on, s.bounced";

const SUBSCRIPTION_FROM: &str = "subscriptions s
    JOIN contacts c ON c.id = s.contact_id AND c.deleted = 0
    LEFT JOIN members mb ON mb.id = c.member_id
    LEFT JOIN organisations g ON g.id = c.organisation_id";

fn subscription_from_row(r: &Row<'_>) -> rusqlite::Result<Subscription> {
    Ok(Subscription {
        id: r.get(0)?,
        list_id: r.get(1)?,
        contact_id: r.get(2)?,
        name_ja: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        name_en: r.get(4)?,
        email: r.get(5)?,
        affiliation_ja: r.get(6)?,
        subscribed_on: opt_date(r.get(7)?),
        opted_out_on: opt_date(r.get(8)?),
        bounced: r.get::<_, Option<i64>>(9)?.unwrap_or(0) == 1,
    })
}

/// A subscription (alias `s`) that ran at some time between ?1 and ?2:
/// subscribed by the end, not opted out before the start.
const SUBSCRIBED_IN_PERIOD: &str = "(s.subscribed_on IS NULL OR s.subscribed_on <= ?2)
    AND (s.opted_out_on IS NULL OR s.opted_out_on >= ?1)";

impl Kizuna {
    /// Distinct organisations with a contact on any live list between
    /// `from` and `to` (days, YYYY-MM-DD), and of them the companies.
    pub(crate) fn lists_reach_total(&self, from: &str, to: &str) -> Result<(i64, i64)> {
        Ok(self.store.conn().query_row(
            &format!(
                "SELECT count(DISTINCT coalesce(c.member_id, c.organisation_id)),
                        count(DISTINCT CASE WHEN g.kind = 'company' THEN g.id END)
                 FROM subscriptions s
                 JOIN mailing_lists l ON l.id = s.list_id AND l.deleted = 0
                 JOIN contacts c ON c.id = s.contact_id AND c.deleted = 0
                 LEFT JOIN organisations g ON g.id = c.organisation_id AND g.deleted = 0
                 WHERE s.deleted = 0 AND {SUBSCRIBED_IN_PERIOD}"
            ),
            params![from, to],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub fn list_add(&mut self, input: &MailingListInput) -> Result<MailingList> {
        let mut cells = input.to_cells(true)?;
        cells.push(("office_id", CellValue::opt_text(self.own_office()?.map(|o| o.id))));
        let id = new_id();
        self.store.write(|w| w.insert("mailing_lists", &id, &cells).map(|_| ()))?;
        self.list_show(&id)
    }

    pub fn list_show(&self, id: &str) -> Result<MailingList> {
        let id = &self.resolve_id("mailing_lists", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {LIST_COLUMNS} FROM mailing_lists l WHERE l.id = ?1 AND l.deleted = 0"),
                [id],
                list_from_row,
            )
            .map_err(not_found("mailing list", id))
    }

    pub fn list_edit(&mut self, id: &str, input: &MailingListInput) -> Result<MailingList> {
        let current = self.list_show(id)?;
        let cells = input.to_cells(false)?;
        self.store.write(|w| w.update("mailing_lists", &current.id, &cells).map(|_| ()))?;
        self.list_show(&current.id)
    }

    pub fn list_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("mailing_lists", id)?;
        self.store.write(|w| w.delete("mailing_lists", &id).map(|_| ()))
    }

    pub fn list_list(&self) -> Result<Vec<MailingList>> {
        let mut stmt = self.store.conn().prepare(&format!(
            "SELECT {LIST_COLUMNS} FROM mailing_lists l WHERE l.deleted = 0 ORDER BY l.name_en, l.id"
        ))?;
        Ok(stmt.query_map([], list_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Everyone on a list, opted out and bounced included (each marked).
    pub fn list_subscriptions(&self, list_id: &str) -> Result<Vec<Subscription>> {
        let list = self.list_show(list_id)?;
        let mut stmt = self.store.conn().prepare(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM {SUBSCRIPTION_FROM} WHERE s.list_id = ?1 AND s.deleted = 0
             ORDER BY coalesce(c.reading, c.name_ja), c.id"
        ))?;
        Ok(stmt.query_map([&list.id], subscription_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Subscribes contacts to a list on a day (today when absent), in one
    /// transaction. A contact who opted out is subscribed again only by
    /// this explicit request, which clears the opt-out.
    pub fn list_subscribe(
        &mut self,
        list_id: &str,
        contacts: &[String],
        on: Option<&str>,
    ) -> Result<Vec<Subscription>> {
        let list = self.list_show(list_id)?;
        let on = day_or_today("subscribed_on", on)?.to_string();
        if contacts.iter().all(|c| c.trim().is_empty()) {
            return Err(Error::invalid("contacts", "name at least one contact"));
        }
        let mut ids = Vec::new();
        for c in contacts.iter().filter(|c| !c.trim().is_empty()) {
            ids.push(self.require_live("contacts", c)?);
        }
        self.store.write(|w| {
            for c in &ids {
                let id = pair_id("subscriptions", &list.id, c);
                let state: Option<(i64, Option<String>)> = w
                    .conn()
                    .query_row("SELECT deleted, opted_out_on FROM subscriptions WHERE id = ?1", [&id], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?;
                match state {
                    None => {
                        w.insert(
                            "subscriptions",
                            &id,
                            &[
                                ("list_id", CellValue::text(&list.id)),
                                ("contact_id", CellValue::text(c)),
                                ("subscribed_on", CellValue::text(&on)),
                                ("bounced", CellValue::Integer(0)),
                            ],
                        )?;
                    }
                    Some((deleted, opted_out)) => {
                        if deleted == 1 {
                            w.restore("subscriptions", &id)?;
                        }
                        if deleted == 1 || opted_out.is_some() {
                            w.update(
                                "subscriptions",
                                &id,
                                &[("subscribed_on", CellValue::text(&on)), ("opted_out_on", CellValue::Null)],
                            )?;
                        }
                    }
                }
            }
            Ok(())
        })?;
        self.list_subscriptions(&list.id)
    }

    /// Records a contact's opt-out from a list (today when no day is given).
    /// The subscription stays, marked, so the opt-out is never forgotten.
    pub fn list_unsubscribe(&mut self, list_id: &str, contact_id: &str, on: Option<&str>) -> Result<Subscription> {
        let sub = self.subscription_of(list_id, contact_id)?;
        let on = day_or_today("opted_out_on", on)?;
        if let Some(since) = sub.subscribed_on
            && on < since
        {
            return Err(Error::invalid("opted_out_on", format!("{on} is before the subscription ({since})")));
        }
        self.store.write(|w| {
            w.update("subscriptions", &sub.id, &[("opted_out_on", CellValue::Text(on.to_string()))]).map(|_| ())
        })?;
        self.subscription_of(list_id, contact_id)
    }

    /// Marks a subscriber's address as bouncing, or as fixed.
    pub fn list_bounce(&mut self, list_id: &str, contact_id: &str, bounced: bool) -> Result<Subscription> {
        let sub = self.subscription_of(list_id, contact_id)?;
        self.store.write(|w| {
            w.update("subscriptions", &sub.id, &[("bounced", CellValue::Integer(i64::from(bounced)))]).map(|_| ())
        })?;
        self.subscription_of(list_id, contact_id)
    }

    fn subscription_of(&self, list_id: &str, contact_id: &str) -> Result<Subscription> {
        let list = self.list_show(list_id)?;
        let contact_id = self.require_live("contacts", contact_id)?;
        let id = pair_id("subscriptions", &list.id, &contact_id);
        self.store
            .conn()
            .query_row(
                &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM {SUBSCRIPTION_FROM} WHERE s.id = ?1 AND s.deleted = 0"),
                [&id],
                subscription_from_row,
            )
            .optional()?
            .ok_or_else(|| {
                Error::invalid(
                    "contact",
                    format!("contact {} is not on the list '{}'", contact_id.trim(), list.name_en),
                )
            })
    }

    /// A list as a file for the mailing tool: its subscribers who have not
    /// opted out and whose address does not bounce. Asking for an opted-out
    /// contact by name is an error, never an export.
    pub fn list_export(&self, req: &ListExportRequest) -> Result<ListExport> {
        self.store.with_full_cache(|| self.read_list_export(req))
    }

    fn read_list_export(&self, req: &ListExportRequest) -> Result<ListExport> {
        let conn = self.store.conn();
        let list_id = req.list_id.trim();
        let name_en: String = conn
            .query_row(
                "SELECT coalesce(name_en, '') FROM mailing_lists WHERE id = ?1 AND deleted = 0",
                [list_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound { entity: "mailing list", id: list_id.to_string() })?;
        // Who is on the list: (opted out, bounced) by contact.
        let mut subs: HashMap<String, (bool, bool), foldhash::fast::RandomState> = HashMap::default();
        let mut stmt = conn.prepare_cached(
            "SELECT contact_id, opted_out_on IS NOT NULL, coalesce(bounced, 0) = 1 FROM subscriptions
             WHERE list_id = ?1 AND deleted = 0",
        )?;
        let mut rows = stmt.query([list_id])?;
        while let Some(r) = rows.next()? {
            if let Some(c) = r.get::<_, Option<String>>(0)? {
                subs.insert(c, (r.get(1)?, r.get(2)?));
            }
        }
        let wanted: Option<HashSet<&str>> =
            req.contacts.as_ref().map(|c| c.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect());
        for c in wanted.iter().flatten() {
            match subs.get(*c) {
                None => return Err(Error::invalid("contacts", format!("contact {c} is not on the list '{name_en}'"))),
                Some((true, _)) => {
                    let who = self.contact_show(c)?.name_ja;
                    return Err(Error::invalid(
                        "contacts",
                        format!("{who} opted out of '{name_en}' and is never exported"),
                    ));
                }
                Some(_) => {}
            }
        }
        // One pass over the live contacts and the names of members and
        // organisations: sequential reads, where a join would look each up.
        let names = |table: &str| -> Result<HashMap<String, (String, String)>> {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, coalesce(name_ja, ''), coalesce(name_en, '') FROM {table} WHERE deleted = 0"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (members, organisations) = (names("members")?, names("organisations")?);
        let (mut skipped_opted_out, mut skipped_bounced) = (0, 0);
        let mut out: Vec<(String, String, crate::api::mailing_files::Row)> = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name_ja, name_en, reading, role, member_id, organisation_id, email, phone, prefecture_code
             FROM contacts WHERE deleted = 0",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let Some(&(opted_out, bounced)) = subs.get(&id) else { continue };
            if wanted.as_ref().is_some_and(|w| !w.contains(id.as_str())) {
                continue;
            }
            if opted_out {
                skipped_opted_out += 1;
                continue;
            }
            if bounced {
                skipped_bounced += 1;
                continue;
            }
            let s = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
            let affiliation = match (r.get::<_, Option<String>>(5)?, r.get::<_, Option<String>>(6)?) {
                (Some(m), _) => members.get(&m),
                (None, Some(o)) => organisations.get(&o),
                (None, None) => None,
            };
            let (affiliation_ja, affiliation_en) = affiliation.cloned().unwrap_or_default();
            let row = crate::api::mailing_files::Row {
                name_ja: s(1)?,
                name_en: s(2)?,
                reading: s(3)?,
                role: s(4)?,
                affiliation_ja,
                affiliation_en,
                email: s(7)?,
                phone: s(8)?,
                prefecture: s(9)?,
            };
            let key = if row.reading.is_empty() { row.name_ja.clone() } else { row.reading.clone() };
            out.push((key, id, row));
        }
        // The order of the list screen: by reading, else name.
        out.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let rows: Vec<crate::api::mailing_files::Row> = out.into_iter().map(|(_, _, r)| r).collect();
        let format = req.format.unwrap_or_default();
        let content = match format {
            ListFormat::Csv => crate::api::mailing_files::csv(&rows)?,
            ListFormat::Vcard => crate::api::mailing_files::vcard(&rows),
        };
        let stem: String =
            name_en.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        let ext = match format {
            ListFormat::Csv => "csv",
            ListFormat::Vcard => "vcf",
        };
        let stem = stem.trim_matches('-');
        Ok(ListExport {
            file_name: format!("{}.{ext}", if stem.is_empty() { "list" } else { stem }),
            content,
            exported: rows.len() as i64,
            skipped_bounced,
            skipped_opted_out,
        })
    }

    /// Writes a list's export to `path` (a temporary file renamed into
    /// place), answering what went into it.
    pub fn list_export_to(&self, req: &ListExportRequest, path: &std::path::Path) -> Result<ListExport> {
        let export = self.list_export(req)?;
        crate::files::write_atomic(path, export.content.as_bytes())?;
        Ok(export)
    }

    /// Per list, who it reached in a period: contacts subscribed at some
    /// time in it, and their distinct organisations (member NGOs and
    /// others, companies counted apart).
    pub fn list_reach(&self, from: Option<&str>, to: Option<&str>) -> Result<Vec<ListReach>> {
        let from = from.filter(|d| !d.trim().is_empty()).map(|d| parse_day("from", d)).transpose()?;
        let to = day_or_today("to", to)?;
        let from_s = from.map(|d| d.to_string()).unwrap_or_default();
        let mut stmt = self.store.conn().prepare(&format!(
            "SELECT l.id, l.name_ja, l.name_en,
                    count(DISTINCT c.id),
                    count(DISTINCT coalesce(c.member_id, c.organisation_id)),
                    count(DISTINCT c.member_id),
                    count(DISTINCT CASE WHEN g.kind = 'company' THEN g.id END)
             FROM mailing_lists l
             LEFT JOIN subscriptions s ON s.list_id = l.id AND s.deleted = 0 AND {SUBSCRIBED_IN_PERIOD}
             LEFT JOIN contacts c ON c.id = s.contact_id AND c.deleted = 0
             LEFT JOIN members mb ON mb.id = c.member_id AND mb.deleted = 0
             LEFT JOIN organisations g ON g.id = c.organisation_id AND g.deleted = 0
             WHERE l.deleted = 0
             GROUP BY l.id ORDER BY l.name_en, l.id"
        ))?;
        let rows = stmt.query_map(params![from_s, to.to_string()], |r| {
            Ok(ListReach {
                list_id: r.get(0)?,
                name_ja: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                name_en: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                contacts: r.get(3)?,
                organisations: r.get(4)?,
                member_ngos: r.get(5)?,
                companies: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
