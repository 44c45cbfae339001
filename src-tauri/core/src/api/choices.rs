//! The fixed lists a form offers (prefectures, sectors, statuses, legal forms,
//! offices), with their labels in both languages, so no front end keeps its
//! own copy of a code list.

use serde::Serialize;
use ts_rs::TS;

use crate::model::office::OFFICE_CODES;
use crate::model::{Choice, advocacy, directory, fund, matching, meeting, member, site};
use crate::prefecture::PREFECTURES;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Choices {
    /// All 47 prefectures, code = JIS X 0401.
    pub prefectures: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub site_statuses: Vec<Choice>,
    pub member_statuses: Vec<Choice>,
    pub legal_forms: Vec<Choice>,
    /// Office codes an installation can be initialised as, HQ first.
    pub offices: Vec<String>,
    pub meeting_kinds: Vec<Choice>,
    pub follow_up_statuses: Vec<Choice>,
    pub organisation_kinds: Vec<Choice>,
    pub addressee_kinds: Vec<Choice>,
    pub recommendation_statuses: Vec<Choice>,
    pub donor_kinds: Vec<Choice>,
    pub gift_channels: Vec<Choice>,
    pub offer_source_kinds: Vec<Choice>,
    pub offer_categories: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub match_statuses: Vec<Choice>,
    /// The synced tables, by name: what a table export can write.
    pub tables: Vec<String>,
}

pub fn choices() -> Choices {
    Choices {
        prefectures: PREFECTURES
            .iter()
            .map(|p| Choice { code: p.code.into(), en: p.name_en.into(), ja: p.name_ja.into() })
            .collect(),
        sectors: site::sector_choices(),
        site_statuses: site::status_choices(),
        member_statuses: member::status_choices(),
        legal_forms: member::legal_form_choices(),
        offices: OFFICE_CODES.iter().map(|c| c.to_string()).collect(),
        meeting_kinds: meeting::kind_choices(),
        follow_up_statuses: meeting::follow_up_status_choices(),
        organisation_kinds: directory::organisation_kind_choices(),
        addressee_kinds: advocacy::addressee_kind_choices(),
        recommendation_statuses: advocacy::recommendation_status_choices(),
        donor_kinds: fund::donor_kind_choices(),
        gift_channels: fund::gift_channel_choices(),
        offer_source_kinds: matching::source_kind_choices(),
        offer_categories: matching::category_choices(),
        urgencies: matching::urgency_choices(),
        match_statuses: matching::match_status_choices(),
        tables: crate::schema::TABLES.iter().map(|t| t.name.to_string()).collect(),
    }
}
