//! `kizuna list ...`: mailing lists, their subscribers, exports and reach.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use kizuna_core::model::mailing::{ListExportRequest, MailingList, MailingListInput, Subscription};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum ListCommand {
    /// Create a mailing list (--name-ja and --name-en are required)
    Add(ListFields),
    /// Every mailing list with its subscriber counts
    List,
    /// A mailing list with its subscriber counts
    Show {
        /// The list's id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given
    Edit {
        /// The list's id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: ListFields,
    },
    /// Remove a mailing list (`kizuna removed restore ID` brings it back)
    Remove {
        /// The list's id, or a unique prefix of it
        id: String,
    },
    /// Everyone on a list, opted out and bounced included (each marked)
    Members {
        /// The list's id, or a unique prefix of it
        list: String,
    },
    /// Subscribe contacts (an opted-out contact only by this explicit request)
    Subscribe {
        /// The list's id, or a unique prefix of it
        list: String,
        /// One or more contacts' ids
        #[arg(required = true)]
        contacts: Vec<String>,
        /// YYYY-MM-DD (default: today)
        #[arg(long)]
        on: Option<String>,
    },
    /// Record a contact's opt-out; the contact stays known as opted out
    Unsubscribe {
        /// The list's id, or a unique prefix of it
        list: String,
        /// The contact's id
        contact: String,
        /// YYYY-MM-DD (default: today)
        #[arg(long)]
        on: Option<String>,
    },
    /// Mark a subscriber's address as bouncing (or, with --fixed, as fixed)
    Bounce {
        /// The list's id, or a unique prefix of it
        list: String,
        /// The contact's id
        contact: String,
        /// The address works again
        #[arg(long)]
        fixed: bool,
    },
    /// Write the list for the mailing tool: subscribers not opted out and not bouncing
    Export(ExportArgs),
    /// Per list, the contacts and organisations it reached in a period
    Reach {
        /// YYYY-MM-DD (default: from the first subscription)
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD (default: today)
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Args)]
pub struct ListFields {
    /// The list's name in Japanese (required to add)
    #[arg(long)]
    name_ja: Option<String>,
    /// The list's name in English (required to add)
    #[arg(long)]
    name_en: Option<String>,
    /// What the list is for
    #[arg(long)]
    description: Option<String>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The list's id, or a unique prefix of it
    list: String,
    /// csv (UTF-8 with a byte order mark, for Excel) or vcard
    #[arg(long)]
    format: Option<String>,
    /// Repeatable: export only these contacts (each on the list and not opted out)
    #[arg(long = "contact")]
    contacts: Vec<String>,
    /// Write the file here (default: print it)
    #[arg(long)]
    out: Option<PathBuf>,
}

fn describe(l: &MailingList) -> String {
    let mut s = format!(
        "{}  {} / {}\n  subscribers {}  opted out {}  bouncing {}",
        l.id, l.name_ja, l.name_en, l.subscribers, l.opted_out, l.bounced
    );
    if let Some(d) = l.description.as_deref().filter(|d| !d.is_empty()) {
        s.push_str(&format!("\n  {d}"));
    }
    s
}

fn subscription_line(s: &Subscription) -> String {
    let mut state = Vec::new();
    if let Some(d) = s.opted_out_on {
        state.push(format!("opted out {d}"));
    }
    if s.bounced {
        state.push("bouncing".to_string());
    }
    format!(
        "{}  {}  {}  {}  since {}{}",
        s.contact_id,
        s.name_ja,
        s.affiliation_ja.as_deref().unwrap_or("-"),
        s.email.as_deref().unwrap_or("-"),
        s.subscribed_on.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        if state.is_empty() { String::new() } else { format!("  [{}]", state.join(", ")) }
    )
}

fn subscriptions(list: &[Subscription]) -> String {
    if list.is_empty() {
        return "No one is on this list".into();
    }
    list.iter().map(subscription_line).collect::<Vec<_>>().join("\n")
}

fn export(args: ExportArgs, k: &Kizuna, out: &Out) -> Result<(), Error> {
    let req = ListExportRequest {
        list_id: args.list,
        format: args.format.map(|f| f.parse()).transpose()?,
        contacts: (!args.contacts.is_empty()).then_some(args.contacts),
    };
    let e = match &args.out {
        Some(path) => k.list_export_to(&req, path)?,
        None => k.list_export(&req)?,
    };
    let summary =
        format!("{} exported; skipped {} bouncing, {} opted out", e.exported, e.skipped_bounced, e.skipped_opted_out);
    // Without --json the summary goes to stderr, so that stdout carries the
    // file alone when no --out is given; with --json and no --out the file is
    // the `content` of the JSON.
    match args.out {
        Some(path) => {
            let written = serde_json::json!({
                "written": path.display().to_string(),
                "exported": e.exported,
                "skipped_bounced": e.skipped_bounced,
                "skipped_opted_out": e.skipped_opted_out,
            });
            if out.json {
                out.emit(&written, |_| String::new());
            } else {
                eprintln!("Wrote {}: {summary}", path.display());
            }
        }
        None if out.json => out.emit(&e, |_| String::new()),
        None => {
            crate::output::print_stdout(&e.content);
            eprintln!("{summary}");
        }
    }
    Ok(())
}

pub fn run(cmd: ListCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        ListCommand::Add(f) => {
            let input = MailingListInput { name_ja: f.name_ja, name_en: f.name_en, description: f.description };
            out.emit(&k.list_add(&input)?, describe);
        }
        ListCommand::List => {
            let lists = k.list_list()?;
            out.emit(&lists, |l| {
                if l.is_empty() {
                    return "No mailing lists".into();
                }
                l.iter().map(describe).collect::<Vec<_>>().join("\n")
            });
        }
        ListCommand::Show { id } => out.emit(&k.list_show(&id)?, describe),
        ListCommand::Edit { id, fields: f } => {
            let input = MailingListInput { name_ja: f.name_ja, name_en: f.name_en, description: f.description };
            out.emit(&k.list_edit(&id, &input)?, describe);
        }
        ListCommand::Remove { id } => {
            k.list_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed mailing list {id}"));
        }
        ListCommand::Members { list } => out.emit(&k.list_subscriptions(&list)?, |l| subscriptions(l)),
        ListCommand::Subscribe { list, contacts, on } => {
            out.emit(&k.list_subscribe(&list, &contacts, on.as_deref())?, |l| subscriptions(l))
        }
        ListCommand::Unsubscribe { list, contact, on } => {
            out.emit(&k.list_unsubscribe(&list, &contact, on.as_deref())?, subscription_line)
        }
        ListCommand::Bounce { list, contact, fixed } => {
            out.emit(&k.list_bounce(&list, &contact, !fixed)?, subscription_line)
        }
        ListCommand::Export(args) => export(args, k, out)?,
        ListCommand::Reach { from, to } => {
            let reach = k.list_reach(from.as_deref(), to.as_deref())?;
            out.emit(&reach, |r| {
                r.iter()
                    .map(|l| {
                        format!(
                            "{}  {} / {}\n  contacts {}  organisations {} (member NGOs {}, companies {})",
                            l.list_id, l.name_ja, l.name_en, l.contacts, l.organisations, l.member_ngos, l.companies
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
