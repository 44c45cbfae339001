//! `kizuna advocacy ...` and `kizuna network ...`: recommendations to
//! government and the networks the organisation sits in.

use clap::{Args, Subcommand};
use kizuna_core::model::advocacy::{NetworkMembership, NetworkMembershipInput, Recommendation, RecommendationInput};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum AdvocacyCommand {
    /// Record a recommendation (draft unless --status says otherwise; a title in Japanese or English is required)
    Add(RecommendationFields),
    /// Recommendations, newest activity first
    List {
        /// Titles and addressee; kana- and width-insensitive
        #[arg(long)]
        search: Option<String>,
        /// draft, submitted, acknowledged, adopted_in_part, adopted or rejected
        #[arg(long)]
        status: Option<String>,
    },
    /// Show a recommendation
    Show {
        /// Its id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// Its id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: RecommendationFields,
    },
    /// Remove a recommendation (`kizuna removed restore ID` brings it back)
    Remove {
        /// Its id, or a unique prefix of it
        id: String,
    },
}

#[derive(Args)]
pub struct RecommendationFields {
    /// Title in Japanese (this or --title-en is required to add)
    #[arg(long)]
    title_ja: Option<String>,
    /// Title in English
    #[arg(long)]
    title_en: Option<String>,
    /// The recommendation's text in Japanese
    #[arg(long)]
    text_ja: Option<String>,
    /// The recommendation's text in English
    #[arg(long)]
    text_en: Option<String>,
    /// ministry, agency, prefecture, municipality or other
    #[arg(long)]
    addressee_kind: Option<String>,
    /// Who it is addressed to (e.g. 復興庁)
    #[arg(long)]
    addressee: Option<String>,
    /// Day it was drafted, YYYY-MM-DD
    #[arg(long)]
    drafted: Option<String>,
    /// Day it was submitted, YYYY-MM-DD
    #[arg(long)]
    submitted: Option<String>,
    /// Day the answer came, YYYY-MM-DD
    #[arg(long)]
    answered: Option<String>,
    /// draft, submitted, acknowledged, adopted_in_part, adopted or rejected
    #[arg(long)]
    status: Option<String>,
    /// Repeatable: a meeting it came out of (id)
    #[arg(long = "meeting")]
    meetings: Vec<String>,
    /// Repeatable: a member that contributed (id or number)
    #[arg(long = "member")]
    members: Vec<String>,
    /// What came of it
    #[arg(long)]
    outcome: Option<String>,
}

impl RecommendationFields {
    fn input(self) -> RecommendationInput {
        RecommendationInput {
            title_ja: self.title_ja,
            title_en: self.title_en,
            text_ja: self.text_ja,
            text_en: self.text_en,
            addressee_kind: self.addressee_kind,
            addressee: self.addressee,
            drafted_on: self.drafted,
            submitted_on: self.submitted,
            answered_on: self.answered,
            status: self.status,
            meetings: (!self.meetings.is_empty()).then_some(self.meetings),
            members: (!self.members.is_empty()).then_some(self.members),
            outcome: self.outcome,
        }
    }
}

#[derive(Subcommand)]
pub enum NetworkCommand {
    /// Record a seat in a network (e.g. the JCN steering committee; the network's name in Japanese or English is required)
    Add(NetworkFields),
    /// Current memberships first
    List,
    /// Show a network membership
    Show {
        /// Its id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// Its id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: NetworkFields,
    },
    /// Remove a network membership (`kizuna removed restore ID` brings it back)
    Remove {
        /// Its id, or a unique prefix of it
        id: String,
    },
}

#[derive(Args)]
pub struct NetworkFields {
    /// The network's name in Japanese (this or --network-en is required to add)
    #[arg(long)]
    network_ja: Option<String>,
    /// The network's name in English
    #[arg(long)]
    network_en: Option<String>,
    /// The seat held, in Japanese (e.g. 幹事)
    #[arg(long)]
    role_ja: Option<String>,
    /// The seat held, in English (e.g. steering committee member)
    #[arg(long)]
    role_en: Option<String>,
    /// Day the seat began, YYYY-MM-DD
    #[arg(long)]
    started: Option<String>,
    /// Day the seat ended, YYYY-MM-DD
    #[arg(long)]
    ended: Option<String>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
}

impl NetworkFields {
    fn input(self) -> NetworkMembershipInput {
        NetworkMembershipInput {
            network_ja: self.network_ja,
            network_en: self.network_en,
            role_ja: self.role_ja,
            role_en: self.role_en,
            started_on: self.started,
            ended_on: self.ended,
            notes: self.notes,
        }
    }
}

fn both(ja: Option<&str>, en: Option<&str>) -> String {
    match (ja, en) {
        (Some(ja), Some(en)) => format!("{ja} / {en}"),
        (Some(t), None) | (None, Some(t)) => t.to_string(),
        (None, None) => String::new(),
    }
}

fn day(d: Option<impl std::fmt::Display>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

fn describe_recommendation(r: &Recommendation) -> String {
    let mut s = format!(
        "{}  {}\n  status {}  drafted {}  submitted {}  answered {}",
        r.id,
        both(r.title_ja.as_deref(), r.title_en.as_deref()),
        r.status,
        day(r.drafted_on),
        day(r.submitted_on),
        day(r.answered_on)
    );
    if let Some(a) = r.addressee.as_deref() {
        s.push_str(&format!(
            "\n  to {a}{}",
            r.addressee_kind.as_deref().map(|k| format!(" ({k})")).unwrap_or_default()
        ));
    }
    if !r.meeting_ids.is_empty() {
        s.push_str(&format!("\n  from meetings {}", r.meeting_ids.join(", ")));
    }
    if !r.member_ids.is_empty() {
        s.push_str(&format!("\n  with members {}", r.member_ids.join(", ")));
    }
    for text in [r.text_ja.as_deref(), r.text_en.as_deref(), r.outcome.as_deref()].into_iter().flatten() {
        s.push_str(&format!("\n  {text}"));
    }
    s
}

fn describe_network(n: &NetworkMembership) -> String {
    let role = both(n.role_ja.as_deref(), n.role_en.as_deref());
    let mut s = format!(
        "{}  {}\n  {} to {}",
        n.id,
        both(n.network_ja.as_deref(), n.network_en.as_deref()),
        day(n.started_on),
        n.ended_on.map(|d| d.to_string()).unwrap_or_else(|| "now".into())
    );
    if !role.is_empty() {
        s.push_str(&format!("\n  role {role}"));
    }
    if let Some(notes) = n.notes.as_deref() {
        s.push_str(&format!("\n  {notes}"));
    }
    s
}

pub fn run_advocacy(cmd: AdvocacyCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        AdvocacyCommand::Add(f) => out.emit(&k.recommendation_add(&f.input())?, describe_recommendation),
        AdvocacyCommand::List { search, status } => {
            let list = k.recommendation_list(search.as_deref(), status.as_deref())?;
            out.emit(&list, |l| {
                if l.is_empty() {
                    return "No recommendations".into();
                }
                l.iter()
                    .map(|r| {
                        format!("{}  [{}]  {}", r.id, r.status, both(r.title_ja.as_deref(), r.title_en.as_deref()))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        AdvocacyCommand::Show { id } => out.emit(&k.recommendation_show(&id)?, describe_recommendation),
        AdvocacyCommand::Edit { id, fields } => {
            out.emit(&k.recommendation_edit(&id, &fields.input())?, describe_recommendation)
        }
        AdvocacyCommand::Remove { id } => {
            k.recommendation_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed recommendation {id}"));
        }
    }
    Ok(())
}

pub fn run_network(cmd: NetworkCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        NetworkCommand::Add(f) => out.emit(&k.network_add(&f.input())?, describe_network),
        NetworkCommand::List => {
            let list = k.network_list()?;
            out.emit(&list, |l| {
                if l.is_empty() {
                    return "No network memberships".into();
                }
                l.iter().map(describe_network).collect::<Vec<_>>().join("\n")
            });
        }
        NetworkCommand::Show { id } => out.emit(&k.network_show(&id)?, describe_network),
        NetworkCommand::Edit { id, fields } => out.emit(&k.network_edit(&id, &fields.input())?, describe_network),
        NetworkCommand::Remove { id } => {
            k.network_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed network membership {id}"));
        }
    }
    Ok(())
}
