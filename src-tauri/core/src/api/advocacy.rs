//! Policy advocacy: recommendations and network memberships.

use rusqlite::Row;

use crate::api::members::{json_list, opt_date};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::error::Result;
use crate::fold::fold;
use crate::model::advocacy::{
    NetworkMembership, NetworkMembershipInput, Recommendation, RecommendationInput, RecommendationState,
};
use crate::store::CellValue;

const RECOMMENDATION_COLUMNS: &str = "id, title_ja, title_en, text_ja, text_en, addressee_kind, addressee,
    drafted_on, submitted_on, answered_on, status, meeting_ids, member_ids, outcome";

fn recommendation_from_row(r: &Row<'_>) -> rusqlite::Result<Recommendation> {
    Ok(Recommendation {
        id: r.get(0)?,
        title_ja: r.get(1)?,
        title_en: r.get(2)?,
        text_ja: r.get(3)?,
        text_en: r.get(4)?,
        addressee_kind: r.get(5)?,
        addressee: r.get(6)?,
        drafted_on: opt_date(r.get(7)?),
        submitted_on: opt_date(r.get(8)?),
        answered_on: opt_date(r.get(9)?),
        status: r.get::<_, Option<String>>(10)?.unwrap_or_else(|| "draft".into()),
        meeting_ids: json_list(r.get(11)?),
        member_ids: json_list(r.get(12)?),
        outcome: r.get(13)?,
    })
}

const NETWORK_COLUMNS: &str = "id, network_ja, network_en, role_ja, role_en, started_on, ended_on, notes";

fn network_from_row(r: &Row<'_>) -> rusqlite::Result<NetworkMembership> {
    Ok(NetworkMembership {
        id: r.get(0)?,
        network_ja: r.get(1)?,
        network_en: r.get(2)?,
        role_ja: r.get(3)?,
        role_en: r.get(4)?,
        started_on: opt_date(r.get(5)?),
        ended_on: opt_date(r.get(6)?),
        notes: r.get(7)?,
    })
}

impl Kizuna {
    pub fn recommendation_add(&mut self, input: &RecommendationInput) -> Result<Recommendation> {
        let mut cells = input.to_cells(true, &RecommendationState { status: "draft".into(), ..Default::default() })?;
        self.recommendation_sources(input, &mut cells)?;
        cells.push(("office_id", CellValue::opt_text(self.own_office()?.map(|o| o.id))));
        let id = new_id();
        self.store.write(|w| w.insert("recommendations", &id, &cells).map(|_| ()))?;
        self.recommendation_show(&id)
    }

    pub fn recommendation_show(&self, id: &str) -> Result<Recommendation> {
        let id = &self.resolve_id("recommendations", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {RECOMMENDATION_COLUMNS} FROM recommendations WHERE id = ?1 AND deleted = 0"),
                [id],
                recommendation_from_row,
            )
            .map_err(not_found("recommendation", id))
    }

    pub fn recommendation_edit(&mut self, id: &str, input: &RecommendationInput) -> Result<Recommendation> {
        let current = self.recommendation_show(id)?;
        let state = RecommendationState {
            titles: (current.title_ja.is_some(), current.title_en.is_some()),
            drafted_on: current.drafted_on,
            submitted_on: current.submitted_on,
            answered_on: current.answered_on,
            status: current.status.clone(),
        };
        let mut cells = input.to_cells(false, &state)?;
        self.recommendation_sources(input, &mut cells)?;
        self.store.write(|w| w.update("recommendations", &current.id, &cells).map(|_| ()))?;
        self.recommendation_show(&current.id)
    }

    pub fn recommendation_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("recommendations", id)?;
        self.store.write(|w| w.delete("recommendations", &id).map(|_| ()))
    }

    /// Recommendations, newest activity first; `search` over titles and addressee.
    pub fn recommendation_list(&self, search: Option<&str>, status: Option<&str>) -> Result<Vec<Recommendation>> {
        let key = search.map(fold).unwrap_or_default();
        let status = match status.filter(|s| !s.trim().is_empty()) {
            Some(s) => crate::model::pick("status", s, &crate::model::advocacy::RECOMMENDATION_STATUSES)?,
            None => None,
        };
        let mut stmt = self.store.conn().prepare(&format!(
            "SELECT {RECOMMENDATION_COLUMNS} FROM recommendations
             WHERE deleted = 0 AND (?1 = '' OR instr(search_key, ?1) > 0) AND (?2 IS NULL OR status = ?2)
             ORDER BY coalesce(answered_on, submitted_on, drafted_on) DESC, id"
        ))?;
        Ok(stmt
            .query_map(rusqlite::params![key.trim(), status], recommendation_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The meetings and members a recommendation came from, each checked.
    fn recommendation_sources(
        &self,
        input: &RecommendationInput,
        cells: &mut Vec<(&'static str, CellValue)>,
    ) -> Result<()> {
        if let Some(meetings) = &input.meetings {
            let mut ids = Vec::new();
            for m in meetings.iter().filter(|m| !m.trim().is_empty()) {
                let m = self.require_live("meetings", m)?;
                if !ids.contains(&m) {
                    ids.push(m);
                }
            }
            cells.push(("meeting_ids", CellValue::Text(serde_json::to_string(&ids).unwrap_or_default())));
        }
        if let Some(members) = &input.members {
            let mut ids = Vec::new();
            for m in members.iter().filter(|m| !m.trim().is_empty()) {
                let id = self.member_resolve(m)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            cells.push(("member_ids", CellValue::Text(serde_json::to_string(&ids).unwrap_or_default())));
        }
        Ok(())
    }

    pub fn network_add(&mut self, input: &NetworkMembershipInput) -> Result<NetworkMembership> {
        let cells = input.to_cells(true, (false, false, None, None))?;
        let id = new_id();
        self.store.write(|w| w.insert("network_memberships", &id, &cells).map(|_| ()))?;
        self.network_show(&id)
    }

    pub fn network_show(&self, id: &str) -> Result<NetworkMembership> {
        let id = &self.resolve_id("network_memberships", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {NETWORK_COLUMNS} FROM network_memberships WHERE id = ?1 AND deleted = 0"),
                [id],
                network_from_row,
            )
            .map_err(not_found("network membership", id))
    }

    pub fn network_edit(&mut self, id: &str, input: &NetworkMembershipInput) -> Result<NetworkMembership> {
        let c = self.network_show(id)?;
        let cells =
            input.to_cells(false, (c.network_ja.is_some(), c.network_en.is_some(), c.started_on, c.ended_on))?;
        self.store.write(|w| w.update("network_memberships", &c.id, &cells).map(|_| ()))?;
        self.network_show(&c.id)
    }

    pub fn network_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("network_memberships", id)?;
        self.store.write(|w| w.delete("network_memberships", &id).map(|_| ()))
    }

    pub fn network_list(&self) -> Result<Vec<NetworkMembership>> {
        let mut stmt = self.store.conn().prepare(&format!(
            "SELECT {NETWORK_COLUMNS} FROM network_memberships WHERE deleted = 0
             ORDER BY ended_on IS NOT NULL, started_on DESC, id"
        ))?;
        Ok(stmt.query_map([], network_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
