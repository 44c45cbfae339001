//! An in-memory index of every live meeting and its attendance.
//!
//! The coordination figures need each meeting's attendance and each
//! member's last meeting: at 10,000 meetings of 30 that is 300,000 rows,
//! which SQLite takes close to 100 ms to hand over one by one, and no B-tree
//! index can aggregate across the meeting and its attendees. Held as small
//! integers, one pass over them takes about a millisecond. Like the site
//! index, it is rebuilt on the first use after the database changed
//! (through this connection or another), so it never answers from stale data.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::api::lazy_index::LazyIndex;
use crate::api::members::opt_date;
use crate::error::Result;

type Fast = foldhash::fast::RandomState;

pub(crate) struct Meeting {
    pub held_on: NaiveDate,
    pub office_id: Option<String>,
    pub prefecture_code: Option<String>,
}

/// Who attended: a member or another organisation, by position in
/// [`AttendanceIndex::members`] or among the organisations.
#[derive(Clone, Copy)]
enum Who {
    Member(u32),
    Organisation(u32),
}

pub(crate) struct AttendanceIndex {
    stamp: (u64, i64),
    meetings: Vec<Meeting>,
    /// (meeting, who), grouped by meeting.
    attendance: Vec<(u32, Who)>,
    /// Member ids, by position.
    members: Vec<String>,
    organisations: u32,
    /// Each live meeting's position in `meetings`, by id.
    meeting_at: HashMap<Box<[u8]>, u32, Fast>,
    /// Attending organisations (members and others) per meeting, by position.
    attending: Vec<u32>,
}

fn bytes(v: ValueRef<'_>) -> Option<&[u8]> {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(b),
        _ => None,
    }
}

/// The position of `key` in `map`, added at the end if new.
fn intern(map: &mut HashMap<Box<[u8]>, u32, Fast>, key: &[u8]) -> u32 {
    match map.get(key) {
        Some(at) => *at,
        None => {
            let at = map.len() as u32;
            map.insert(key.into(), at);
            at
        }
    }
}

impl LazyIndex for AttendanceIndex {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self> {
        let mut index = AttendanceIndex {
            stamp,
            meetings: Vec::new(),
            attendance: Vec::new(),
            members: Vec::new(),
            organisations: 0,
            meeting_at: HashMap::default(),
            attending: Vec::new(),
        };
        let meeting_at = &mut index.meeting_at;
        // A table scan, said outright: the planner takes `deleted = 0` for a
        // narrow lookup and would read every row through `meetings_held`, a
        // random page read each.
        let mut stmt =
            conn.prepare("SELECT id, held_on, office_id, prefecture_code FROM meetings NOT INDEXED WHERE deleted = 0")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(held_on) = opt_date(r.get(1)?) else { continue };
            let id: String = r.get(0)?;
            meeting_at.insert(id.into_bytes().into(), index.meetings.len() as u32);
            index.meetings.push(Meeting { held_on, office_id: r.get(2)?, prefecture_code: r.get(3)? });
        }
        // In meeting order from the covering index: nothing is copied per
        // row but a member or organisation seen for the first time.
        let mut member_at: HashMap<Box<[u8]>, u32, Fast> = HashMap::default();
        let mut org_at: HashMap<Box<[u8]>, u32, Fast> = HashMap::default();
        let mut stmt = conn.prepare(
            "SELECT meeting_id, member_id, organisation_id FROM meeting_attendance INDEXED BY meeting_attendance_meeting
             WHERE deleted = 0 ORDER BY meeting_id",
        )?;
        let mut rows = stmt.query([])?;
        let mut current: (Vec<u8>, Option<u32>) = (Vec::new(), None);
        while let Some(r) = rows.next()? {
            let meeting = bytes(r.get_ref(0)?).unwrap_or_default();
            if current.0 != meeting {
                current = (meeting.to_vec(), meeting_at.get(meeting).copied());
            }
            // Attendance of a meeting that is removed (or not yet arrived) counts nowhere.
            let Some(m) = current.1 else { continue };
            if let Some(member) = bytes(r.get_ref(1)?) {
                index.attendance.push((m, Who::Member(intern(&mut member_at, member))));
            } else if let Some(org) = bytes(r.get_ref(2)?) {
                index.attendance.push((m, Who::Organisation(intern(&mut org_at, org))));
            }
        }
        index.members = vec![String::new(); member_at.len()];
        for (id, at) in member_at {
            index.members[at as usize] = String::from_utf8_lossy(&id).into_owned();
        }
        index.organisations = org_at.len() as u32;
        index.attending = vec![0; index.meetings.len()];
        for &(m, _) in &index.attendance {
            index.attending[m as usize] += 1;
        }
        Ok(index)
    }

    fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}

/// What the attendance of the meetings up to a day gives.
pub(crate) struct Tally {
    /// Meetings in scope.
    pub meetings: i64,
    /// Organisations at each meeting in scope that has any attendance recorded.
    pub attendance: Vec<i64>,
    /// Distinct members and other organisations at meetings in scope.
    pub members_reached: i64,
    pub others_reached: i64,
    /// Each member's last meeting up to the day, in scope or not.
    pub last_attended: HashMap<String, NaiveDate>,
}

impl AttendanceIndex {
    /// How many organisations (members and others) attended a live meeting.
    pub(crate) fn organisations_at(&self, meeting_id: &str) -> i64 {
        self.meeting_at.get(meeting_id.as_bytes()).map_or(0, |&m| i64::from(self.attending[m as usize]))
    }

    /// One pass over the meetings held up to `to` and their attendance;
    /// `in_scope` says which of them count for the period's figures.
    pub(crate) fn tally(&self, to: NaiveDate, in_scope: impl Fn(&Meeting) -> bool) -> Tally {
        let scope: Vec<Option<bool>> = self.meetings.iter().map(|m| (m.held_on <= to).then(|| in_scope(m))).collect();
        let mut per_meeting = vec![0i64; self.meetings.len()];
        let mut last: Vec<Option<NaiveDate>> = vec![None; self.members.len()];
        let mut member_reached = vec![false; self.members.len()];
        let mut org_reached = vec![false; self.organisations as usize];
        for &(m, who) in &self.attendance {
            let Some(counted) = scope[m as usize] else { continue };
            if counted {
                per_meeting[m as usize] += 1;
            }
            match who {
                Who::Member(at) => {
                    let at = at as usize;
                    last[at] = last[at].max(Some(self.meetings[m as usize].held_on));
                    member_reached[at] |= counted;
                }
                Who::Organisation(at) => org_reached[at as usize] |= counted,
            }
        }
        let count = |v: &[bool]| v.iter().filter(|r| **r).count() as i64;
        Tally {
            meetings: scope.iter().filter(|s| **s == Some(true)).count() as i64,
            attendance: per_meeting.into_iter().filter(|n| *n > 0).collect(),
            members_reached: count(&member_reached),
            others_reached: count(&org_reached),
            last_attended: self.members.iter().zip(last).filter_map(|(id, d)| Some((id.clone(), d?))).collect(),
        }
    }
}
