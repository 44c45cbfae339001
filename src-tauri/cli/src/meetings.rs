//! `kizuna meeting ...`: meetings, who attended, and the coordination figures.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use kizuna_core::model::directory::OrganisationInput;
use kizuna_core::model::meeting::{AttendInput, CoordinationQuery, MeetingDetail, MeetingInput, MeetingQuery};
use kizuna_core::{Error, Kizuna};

use crate::coordination;
use crate::output::Out;

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// Record a meeting (--date and a topic in Japanese or English are required)
    Add(MeetingFields),
    /// Meetings, newest first
    List {
        /// Topic, venue or municipality; kana- and width-insensitive
        #[arg(long)]
        search: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        to: Option<String>,
        /// Hosting office code
        #[arg(long)]
        office: Option<String>,
        /// Only meetings in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// information_sharing, cluster, government or other
        #[arg(long)]
        kind: Option<String>,
        /// Skip this many
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// A meeting with its attendees and follow-ups
    Show {
        /// The meeting's id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// The meeting's id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: MeetingFields,
    },
    /// Remove a meeting (`kizuna removed restore ID` brings it back)
    Remove {
        /// The meeting's id, or a unique prefix of it
        id: String,
    },
    /// Record who attended, in one step
    Attend(AttendArgs),
    /// Remove one attendee: a member (id or number), an organisation id or the attendance id
    Unattend {
        /// The meeting's id, or a unique prefix of it
        meeting: String,
        /// The member (id or number), organisation id or attendance id
        attendee: String,
    },
    /// Coordination figures for a period, office or prefecture
    Stats(coordination::StatsArgs),
}

#[derive(Args)]
pub struct MeetingFields {
    /// The day it was held, YYYY-MM-DD (required to add)
    #[arg(long)]
    date: Option<String>,
    /// HH:MM
    #[arg(long)]
    time: Option<String>,
    /// The hosting office's code (default: this office)
    #[arg(long)]
    office: Option<String>,
    /// JIS code, English or Japanese name
    #[arg(long)]
    prefecture: Option<String>,
    /// The municipality it was held in
    #[arg(long)]
    municipality: Option<String>,
    /// Where it was held (hall, office, ...)
    #[arg(long)]
    venue: Option<String>,
    /// information_sharing, cluster, government or other
    #[arg(long)]
    kind: Option<String>,
    /// shelter, food, water_sanitation, health, psychosocial, education, livelihoods, elderly, logistics, radiation or community
    #[arg(long)]
    sector: Option<String>,
    /// The topic in Japanese (this or --topic-en is required to add)
    #[arg(long)]
    topic_ja: Option<String>,
    /// The topic in English
    #[arg(long)]
    topic_en: Option<String>,
    /// The minutes in Japanese
    #[arg(long, conflicts_with = "minutes_ja_file")]
    minutes_ja: Option<String>,
    /// Read the Japanese minutes from this file (UTF-8)
    #[arg(long)]
    minutes_ja_file: Option<PathBuf>,
    /// The minutes in English
    #[arg(long, conflicts_with = "minutes_en_file")]
    minutes_en: Option<String>,
    /// Read the English minutes from this file (UTF-8)
    #[arg(long)]
    minutes_en_file: Option<PathBuf>,
    /// What was decided
    #[arg(long)]
    decisions: Option<String>,
    /// People in the room, as counted
    #[arg(long)]
    head_count: Option<i64>,
}

/// The text given, or the content of the file given instead.
fn text_or_file(text: Option<String>, file: Option<PathBuf>) -> Result<Option<String>, Error> {
    match file {
        Some(path) => std::fs::read_to_string(&path).map(Some).map_err(|e| Error::io(&path, e)),
        None => Ok(text),
    }
}

impl MeetingFields {
    fn input(self) -> Result<MeetingInput, Error> {
        Ok(MeetingInput {
            held_on: self.date,
            start_time: self.time,
            office: self.office,
            prefecture: self.prefecture,
            municipality: self.municipality,
            venue: self.venue,
            kind: self.kind,
            sector: self.sector,
            topic_ja: self.topic_ja,
            topic_en: self.topic_en,
            minutes_ja: text_or_file(self.minutes_ja, self.minutes_ja_file)?,
            minutes_en: text_or_file(self.minutes_en, self.minutes_en_file)?,
            decisions: self.decisions,
            head_count: self.head_count,
        })
    }
}

#[derive(Args)]
pub struct AttendArgs {
    /// The meeting's id, or a unique prefix of it
    meeting: String,
    /// Repeatable: a member's id or number (TNO-0001)
    #[arg(long = "member")]
    members: Vec<String>,
    /// Repeatable: an organisation's id in the directory
    #[arg(long = "org")]
    orgs: Vec<String>,
    /// An organisation not yet in the directory: added, then recorded as attending
    #[arg(long)]
    new_org_ja: Option<String>,
    /// The new organisation's English name
    #[arg(long)]
    new_org_en: Option<String>,
    /// Its kind (company, ngo, municipality, ...; default other)
    #[arg(long)]
    new_org_kind: Option<String>,
}

impl AttendArgs {
    fn input(self) -> (String, AttendInput) {
        let new_organisation = (self.new_org_ja.is_some() || self.new_org_en.is_some() || self.new_org_kind.is_some())
            .then(|| OrganisationInput {
                name_ja: self.new_org_ja,
                name_en: self.new_org_en,
                kind: self.new_org_kind,
                ..Default::default()
            });
        let input = AttendInput {
            members: (!self.members.is_empty()).then_some(self.members),
            organisations: (!self.orgs.is_empty()).then_some(self.orgs),
            new_organisation,
        };
        (self.meeting, input)
    }
}

fn topic(m: &kizuna_core::model::meeting::Meeting) -> String {
    match (m.topic_ja.as_deref(), m.topic_en.as_deref()) {
        (Some(ja), Some(en)) => format!("{ja} / {en}"),
        (Some(t), None) | (None, Some(t)) => t.to_string(),
        (None, None) => String::new(),
    }
}

pub fn describe(d: &MeetingDetail) -> String {
    let m = &d.meeting;
    let mut s = format!(
        "{}  {}{}  {}\n",
        m.id,
        m.held_on,
        m.start_time.as_deref().map(|t| format!(" {t}")).unwrap_or_default(),
        topic(m)
    );
    let mut line = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push_str(&format!("  {k:<15} {v}\n"));
        }
    };
    line("office", m.office_code.as_deref());
    line("kind", Some(&m.kind));
    line("sector", m.sector.as_deref());
    line("prefecture", m.prefecture_code.as_deref());
    line("municipality", m.municipality.as_deref());
    line("venue", m.venue.as_deref());
    line("head count", m.head_count.map(|n| n.to_string()).as_deref());
    line("decisions", m.decisions.as_deref());
    line("minutes (ja)", m.minutes_ja.as_deref());
    line("minutes (en)", m.minutes_en.as_deref());
    s.push_str(&format!("  attendees       {}\n", d.attendees.len()));
    for a in &d.attendees {
        let who = a.member_no.as_deref().or(a.organisation_id.as_deref()).unwrap_or("");
        // The core falls back to the Japanese name when there is no English one.
        let name = if a.name_en == a.name_ja { a.name_ja.clone() } else { format!("{} / {}", a.name_ja, a.name_en) };
        s.push_str(&format!("    {who}  {name}\n"));
    }
    s.push_str(&format!("  follow-ups      {}", d.follow_ups.len()));
    for f in &d.follow_ups {
        s.push_str(&format!("\n    {}", crate::follow_ups::line(f)));
    }
    s
}

pub fn run(cmd: MeetingCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        MeetingCommand::Add(f) => out.emit(&k.meeting_add(&f.input()?)?, describe),
        MeetingCommand::List { search, from, to, office, prefecture, kind, offset, limit } => {
            let q =
                MeetingQuery { search, from, to, office, prefecture, kind, offset: Some(offset), limit: Some(limit) };
            let page = k.meeting_list(&q)?;
            out.emit(&page, |p| {
                let mut s: Vec<String> = p
                    .rows
                    .iter()
                    .map(|m| {
                        format!(
                            "{}  {}  {:<9} {}  orgs:{} open follow-ups:{}",
                            m.id,
                            m.held_on,
                            m.office_code.as_deref().unwrap_or("-"),
                            topic(m),
                            m.organisations,
                            m.open_follow_ups
                        )
                    })
                    .collect();
                s.push(format!("{} of {} meetings", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        MeetingCommand::Show { id } => out.emit(&k.meeting_show(&id)?, describe),
        MeetingCommand::Edit { id, fields } => out.emit(&k.meeting_edit(&id, &fields.input()?)?, describe),
        MeetingCommand::Remove { id } => {
            k.meeting_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed meeting {id}"));
        }
        MeetingCommand::Attend(args) => {
            let (meeting, input) = args.input();
            out.emit(&k.meeting_attend(&meeting, &input)?, describe);
        }
        MeetingCommand::Unattend { meeting, attendee } => out.emit(&k.meeting_unattend(&meeting, &attendee)?, describe),
        MeetingCommand::Stats(args) => {
            let q: CoordinationQuery = args.query();
            out.emit(&k.coordination_stats(&q)?, coordination::describe);
        }
    }
    Ok(())
}
