//! Coordination meetings: who met, where, about what, who came, what was
//! decided and who follows up.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::check_order;
use crate::error::{Error, Result};
use crate::model::fields::Fields;
use crate::model::site::SECTORS;
use crate::model::text::MAX_TEXT;
use crate::model::{Choice, choices};
use crate::schema::MINUTES;

pub const MEETING_KINDS: [(&str, &str, &str); 4] = [
    ("information_sharing", "Information sharing", "情報共有会議"),
    ("cluster", "Sector / cluster meeting", "分野別（クラスター）会議"),
    ("government", "Meeting with government", "行政との会議"),
    ("other", "Other", "その他"),
];

pub const FOLLOW_UP_STATUSES: [(&str, &str, &str); 2] = [("open", "Open", "未完了"), ("done", "Done", "完了")];

pub fn kind_choices() -> Vec<Choice> {
    choices(&MEETING_KINDS)
}

pub fn follow_up_status_choices() -> Vec<Choice> {
    choices(&FOLLOW_UP_STATUSES)
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Meeting {
    pub id: String,
    pub held_on: NaiveDate,
    /// HH:MM.
    pub start_time: Option<String>,
    /// The hosting office.
    pub office_id: Option<String>,
    pub office_code: Option<String>,
    pub prefecture_code: Option<String>,
    pub municipality: Option<String>,
    pub venue: Option<String>,
    pub kind: String,
    pub sector: Option<String>,
    pub topic_ja: Option<String>,
    pub topic_en: Option<String>,
    pub minutes_ja: Option<String>,
    pub minutes_en: Option<String>,
    pub decisions: Option<String>,
    /// People in the room, as counted.
    #[ts(type = "number | null")]
    pub head_count: Option<i64>,
    /// Organisations recorded as attending (member NGOs and others).
    #[ts(type = "number")]
    pub organisations: i64,
    #[ts(type = "number")]
    pub open_follow_ups: i64,
}

/// A meeting with its attendance and follow-ups.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub attendees: Vec<Attendee>,
    pub follow_ups: Vec<FollowUp>,
}

/// One organisation at one meeting: a member NGO or another organisation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Attendee {
    /// The attendance record's id.
    pub id: String,
    pub member_id: Option<String>,
    pub organisation_id: Option<String>,
    pub member_no: Option<String>,
    pub name_ja: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingInput {
    /// YYYY-MM-DD.
    #[ts(optional)]
    pub held_on: Option<String>,
    /// HH:MM.
    #[ts(optional)]
    pub start_time: Option<String>,
    /// The hosting office's code; this office when absent.
    #[ts(optional)]
    pub office: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub municipality: Option<String>,
    #[ts(optional)]
    pub venue: Option<String>,
    #[ts(optional)]
    pub kind: Option<String>,
    #[ts(optional)]
    pub sector: Option<String>,
    #[ts(optional)]
    pub topic_ja: Option<String>,
    #[ts(optional)]
    pub topic_en: Option<String>,
    #[ts(optional)]
    pub minutes_ja: Option<String>,
    #[ts(optional)]
    pub minutes_en: Option<String>,
    #[ts(optional)]
    pub decisions: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub head_count: Option<i64>,
}

impl MeetingInput {
    /// Validates into cells; `current_topics` are the record's topics on
    /// edit, so that one of them always remains. The office is resolved by
    /// the caller, which has the database.
    pub fn to_cells(&self, creating: bool, current_topics: (bool, bool)) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        // A meeting always has its day: required on create, never cleared.
        match self.held_on.as_deref() {
            Some(d) if d.trim().is_empty() => return Err(Error::invalid("held_on", "is required")),
            None if creating => return Err(Error::invalid("held_on", "is required")),
            _ => {}
        }
        f.day("held_on", &self.held_on, None)?;
        f.time("start_time", &self.start_time)?;
        f.prefecture("prefecture_code", &self.prefecture)?;
        f.name("municipality", &self.municipality)?;
        f.name("venue", &self.venue)?;
        f.code("kind", &self.kind, &MEETING_KINDS, Some("information_sharing"))?;
        f.code("sector", &self.sector, &SECTORS, None)?;
        f.text("topic_ja", &self.topic_ja, 500)?;
        f.text("topic_en", &self.topic_en, 500)?;
        f.text("minutes_ja", &self.minutes_ja, MINUTES)?;
        f.text("minutes_en", &self.minutes_en, MINUTES)?;
        f.text("decisions", &self.decisions, MAX_TEXT)?;
        f.count("head_count", self.head_count)?;
        let has = |col: &str, current: bool| f.get(col).map_or(current, |v| !v.is_null());
        if !has("topic_ja", current_topics.0) && !has("topic_en", current_topics.1) {
            return Err(Error::invalid("topic_ja", "a topic is required, in Japanese or English"));
        }
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingQuery {
    /// Topic, venue or municipality, kana- and width-insensitive.
    #[ts(optional)]
    pub search: Option<String>,
    /// YYYY-MM-DD, inclusive.
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    /// Hosting office code.
    #[ts(optional)]
    pub office: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub kind: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

/// Who attended, added to a meeting in one step.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttendInput {
    /// Member ids or member numbers (TNO-0001).
    #[ts(optional)]
    pub members: Option<Vec<String>>,
    /// Ids of organisations in the directory.
    #[ts(optional)]
    pub organisations: Option<Vec<String>>,
    /// An organisation not yet in the directory: added, then recorded as attending.
    #[ts(optional)]
    pub new_organisation: Option<crate::model::directory::OrganisationInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowUp {
    pub id: String,
    pub meeting_id: String,
    pub text: String,
    /// The responsible member NGO, if a member.
    pub member_id: Option<String>,
    pub member_name_ja: Option<String>,
    pub member_name_en: Option<String>,
    /// The responsible office, if an office.
    pub office_id: Option<String>,
    pub office_code: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub done_on: Option<NaiveDate>,
    /// The meeting's date and topic, for lists of follow-ups across meetings.
    pub meeting_held_on: Option<NaiveDate>,
    pub meeting_topic_ja: Option<String>,
    pub meeting_topic_en: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowUpInput {
    #[ts(optional)]
    pub text: Option<String>,
    /// Member id or number; empty clears.
    #[ts(optional)]
    pub member: Option<String>,
    /// Office code; empty clears.
    #[ts(optional)]
    pub office: Option<String>,
    #[ts(optional)]
    pub due_on: Option<String>,
    #[ts(optional)]
    pub status: Option<String>,
    #[ts(optional)]
    pub done_on: Option<String>,
}

impl FollowUpInput {
    /// Validates into cells: due on or after the meeting, done after the
    /// meeting, a done follow-up dated (`today` when no date is given).
    pub fn to_cells(
        &self,
        creating: bool,
        meeting_on: NaiveDate,
        current: (Option<NaiveDate>, Option<NaiveDate>, &str),
        today: NaiveDate,
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.required("text", &self.text, 2_000)?;
        let due = f.day("due_on", &self.due_on, current.0)?;
        if let Some(d) = due
            && d < meeting_on
        {
            return Err(Error::invalid("due_on", format!("{d} is before the meeting ({meeting_on})")));
        }
        f.code("status", &self.status, &FOLLOW_UP_STATUSES, Some("open"))?;
        let status = f.get("status").and_then(|v| v.as_str()).unwrap_or(current.2).to_string();
        let mut done = f.day("done_on", &self.done_on, current.1)?;
        if status == "done" && done.is_none() {
            f.set("done_on", CellValue::Text(today.to_string()));
            done = Some(today);
        }
        if status == "open" && self.status.is_some() && current.1.is_some() && self.done_on.is_none() {
            f.set("done_on", CellValue::Null);
            done = None;
        }
        check_order("done_on", Some(meeting_on), done)?;
        Ok(f.into_cells())
    }
}

/// Which meetings the coordination figures cover.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoordinationQuery {
    /// YYYY-MM-DD, inclusive; from the first meeting when absent.
    #[ts(optional)]
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive; today when absent. Also the day against which
    /// follow-ups are overdue and members have not attended.
    #[ts(optional)]
    pub to: Option<String>,
    /// Hosting office code.
    #[ts(optional)]
    pub office: Option<String>,
    /// Meetings in this prefecture; members working in it.
    #[ts(optional)]
    pub prefecture: Option<String>,
    /// Members that have not attended for this many months are listed (6 when absent).
    #[ts(optional)]
    pub inactive_months: Option<u32>,
}

/// The coordination figures for a period, computed from the records.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CoordinationStats {
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    #[ts(type = "number")]
    pub meetings: i64,
    /// Meetings with at least one attending organisation recorded: the
    /// per-meeting figures are over these.
    #[ts(type = "number")]
    pub meetings_with_attendance: i64,
    /// Organisations per meeting, to one decimal place.
    #[ts(type = "string | null")]
    pub organisations_mean: Option<Decimal>,
    #[ts(type = "string | null")]
    pub organisations_median: Option<Decimal>,
    /// Distinct member NGOs at one or more meetings of the period.
    #[ts(type = "number")]
    pub member_ngos_reached: i64,
    /// Distinct other organisations at one or more meetings of the period.
    #[ts(type = "number")]
    pub other_organisations_reached: i64,
    pub inactive_months: u32,
    /// Active members at no meeting in the `inactive_months` before `to`.
    pub not_attended: Vec<OutreachMember>,
    /// Open follow-ups due before `to`.
    pub overdue_follow_ups: Vec<FollowUp>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OutreachMember {
    pub member_id: String,
    pub member_no: String,
    pub name_ja: String,
    pub name_en: String,
    /// The last meeting the member attended, if any.
    pub last_attended: Option<NaiveDate>,
}
