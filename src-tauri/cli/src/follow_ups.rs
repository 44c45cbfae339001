//! `kizuna follow-up ...`: what a meeting left someone to do.

use clap::{Args, Subcommand};
use kizuna_core::model::meeting::{FollowUp, FollowUpInput};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum FollowUpCommand {
    /// Add a follow-up to a meeting (--text is required)
    Add {
        /// The meeting's id, or a unique prefix of it
        meeting: String,
        #[command(flatten)]
        fields: FollowUpFields,
    },
    /// A follow-up with its meeting
    Show {
        /// The follow-up's id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// The follow-up's id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: FollowUpFields,
    },
    /// Remove a follow-up (`kizuna removed restore ID` brings it back)
    Remove {
        /// The follow-up's id, or a unique prefix of it
        id: String,
    },
}

#[derive(Args)]
pub struct FollowUpFields {
    /// What is to be done (required to add)
    #[arg(long)]
    text: Option<String>,
    /// The responsible member: id or number (TNO-0001)
    #[arg(long)]
    member: Option<String>,
    /// The responsible office's code
    #[arg(long)]
    office: Option<String>,
    /// YYYY-MM-DD, on or after the meeting
    #[arg(long)]
    due: Option<String>,
    /// open or done
    #[arg(long)]
    status: Option<String>,
    /// YYYY-MM-DD (default for a done follow-up: today)
    #[arg(long)]
    done: Option<String>,
}

impl FollowUpFields {
    fn input(self) -> FollowUpInput {
        FollowUpInput {
            text: self.text,
            member: self.member,
            office: self.office,
            due_on: self.due,
            status: self.status,
            done_on: self.done,
        }
    }
}

/// One follow-up on one line, as meeting show and stats list them.
pub fn line(f: &FollowUp) -> String {
    let who = f.member_name_en.as_deref().or(f.member_name_ja.as_deref()).or(f.office_code.as_deref()).unwrap_or("-");
    format!(
        "{}  [{}] due {}  {}  ({})",
        f.id,
        f.status,
        f.due_on.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        f.text,
        who
    )
}

fn describe(f: &FollowUp) -> String {
    let mut s = line(f);
    if let Some(held) = f.meeting_held_on {
        let topic = f.meeting_topic_ja.as_deref().or(f.meeting_topic_en.as_deref()).unwrap_or("");
        s.push_str(&format!("\n  meeting {} on {held}  {topic}", f.meeting_id));
    }
    if let Some(done) = f.done_on {
        s.push_str(&format!("\n  done on {done}"));
    }
    s
}

pub fn run(cmd: FollowUpCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        FollowUpCommand::Add { meeting, fields } => out.emit(&k.follow_up_add(&meeting, &fields.input())?, describe),
        FollowUpCommand::Show { id } => out.emit(&k.follow_up_show(&id)?, describe),
        FollowUpCommand::Edit { id, fields } => out.emit(&k.follow_up_edit(&id, &fields.input())?, describe),
        FollowUpCommand::Remove { id } => {
            k.follow_up_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed follow-up {id}"));
        }
    }
    Ok(())
}
