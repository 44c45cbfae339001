//! `kizuna`: the command-line face of the core API. Every command is a thin
//! call into `kizuna_core`; output is human text, or JSON with `--json`.

mod advocacy;
mod coordination;
mod directory;
mod follow_ups;
mod fund;
mod grants;
mod mailing;
mod matching;
mod meetings;
mod members;
mod narrative;
mod output;
mod report;
mod sites;
mod sync;
// Data exchange: import, standard exports, backup and restore.
mod exchange;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use kizuna_core::api::InitOptions;
use kizuna_core::model::office::OfficeInput;
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Parser)]
#[command(name = "kizuna", version, about = "Kizuna (絆): NGO coordination, offline first")]
struct Cli {
    /// Data folder (default: the OS data directory, as the desktop app uses)
    #[arg(long, global = true, env = "KIZUNA_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON
    #[arg(long, global = true)]
    json: bool,
    /// Log what happens (debug level) to stderr; RUST_LOG overrides the filter
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create this installation's database, seeded from the source document
    Init {
        /// tokyo (HQ), tono, fukushima or sendai
        #[arg(long, default_value = "tokyo")]
        office: String,
        /// Create no seed data
        #[arg(long)]
        empty: bool,
        /// Join the network with HQ's invite file (the office comes from the invite); asks for its
        /// passphrase, or reads KIZUNA_INVITE_PASSPHRASE
        #[arg(long, conflicts_with_all = ["office", "empty"])]
        join: Option<PathBuf>,
    },
    /// The network's offices
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// The coordinating organisation's profile
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Member NGOs
    Member {
        #[command(subcommand)]
        command: members::MemberCommand,
    },
    /// Relief sites
    Site {
        #[command(subcommand)]
        command: sites::SiteCommand,
    },
    /// Grants and phases
    Grant {
        #[command(subcommand)]
        command: grants::GrantCommand,
    },
    /// Budget lines of a phase
    Budget {
        #[command(subcommand)]
        command: grants::BudgetCommand,
    },
    /// Expenditures of a phase
    Spend {
        #[command(subcommand)]
        command: grants::SpendCommand,
    },
    /// Coordination meetings, their attendance and figures
    Meeting {
        #[command(subcommand)]
        command: meetings::MeetingCommand,
    },
    /// Donors to the pooled relief fund (HQ)
    Donor {
        #[command(subcommand)]
        command: fund::DonorCommand,
    },
    /// Gifts to the pooled relief fund, their receipts and statements (HQ)
    Gift {
        #[command(subcommand)]
        command: fund::GiftCommand,
    },
    /// The pooled relief fund: distributions, conversions, the ledger (HQ)
    Fund {
        #[command(subcommand)]
        command: fund::FundCommand,
    },
    /// Follow-ups of meetings
    FollowUp {
        #[command(subcommand)]
        command: follow_ups::FollowUpCommand,
    },
    /// Organisations that are not members (companies, government, other NGOs)
    Org {
        #[command(subcommand)]
        command: directory::OrgCommand,
    },
    /// Contact people at members and organisations
    Contact {
        #[command(subcommand)]
        command: directory::ContactCommand,
    },
    /// Mailing lists
    List {
        #[command(subcommand)]
        command: mailing::ListCommand,
    },
    /// Recommendations to government
    Advocacy {
        #[command(subcommand)]
        command: advocacy::AdvocacyCommand,
    },
    /// Networks the organisation sits in
    Network {
        #[command(subcommand)]
        command: advocacy::NetworkCommand,
    },
    /// Donations offered to the network
    Offer {
        #[command(subcommand)]
        command: matching::OfferCommand,
    },
    /// Needs of members and sites
    Need {
        #[command(subcommand)]
        command: matching::NeedCommand,
    },
    /// Matches between offers and needs
    Match {
        #[command(subcommand)]
        command: matching::MatchCommand,
    },
    /// Donation matching figures
    Matching {
        #[command(subcommand)]
        command: matching::MatchingCommand,
    },
    /// Headline figures
    Dashboard,
    /// Direct Relief reports as PDF
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Export the shared data
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Exchange changes with a hub (--hub URL) or by bundle files
    Sync(sync::SyncArgs),
    /// Serve this replica as the sync hub for the offices (HTTPS; stops gracefully on SIGTERM)
    Serve(sync::ServeArgs),
    /// List stored rows that break the domain rules; --repair fixes them
    Doctor {
        /// Clear each broken cell, or remove (recoverably) a row whose money is
        /// broken, through the ordinary write path so the repair syncs
        #[arg(long)]
        repair: bool,
    },
    /// Removed records: list them, or bring one back
    Removed {
        #[command(subcommand)]
        command: RemovedCommand,
    },
    /// Add a deterministic, clearly labelled synthetic data set
    Demo {
        /// Sample members to add
        #[arg(long, default_value_t = 20)]
        members: usize,
        /// Sample sites to add, spread over the members
        #[arg(long, default_value_t = 200)]
        sites: usize,
        /// Sample meetings over the members (none by default)
        #[arg(long, default_value_t = 0)]
        meetings: usize,
        /// Organisations recorded at each sample meeting
        #[arg(long, default_value_t = 20)]
        attendees: usize,
        /// Sample contacts, all on one sample mailing list
        #[arg(long, default_value_t = 0)]
        contacts: usize,
        /// Seed of the generator: the same seed gives the same records
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Import members, sites, contacts or gifts from CSV (UTF-8 or CP932) or XLSX
    Import {
        #[command(subcommand)]
        command: exchange::ImportCommand,
    },
    /// Back up the database (online: the app may keep writing); --list shows the automatic backups
    Backup {
        /// The backup file to write
        #[arg(long, required_unless_present = "list")]
        out: Option<PathBuf>,
        /// List the automatic daily and weekly backups of the data folder
        #[arg(long, conflicts_with = "out")]
        list: bool,
    },
    /// Restore a backup after checking it; refuses to discard unsynced changes unless --force
    Restore {
        /// The backup file to restore
        file: PathBuf,
        /// Discard changes not yet synced that the backup lacks
        #[arg(long)]
        force: bool,
        /// Only check the file and list what restoring it would discard
        #[arg(long, conflicts_with = "force")]
        check: bool,
    },
    /// Phases of a grant (HQ)
    Phase {
        #[command(subcommand)]
        command: grants::PhaseCommand,
    },
    /// A phase's instalment schedule (HQ)
    Tranche {
        #[command(subcommand)]
        command: grants::TrancheCommand,
    },
    /// Reports a donor expects, with their due dates (HQ)
    Due {
        #[command(subcommand)]
        command: grants::DueCommand,
    },
    /// The period narrative and sign-off of a phase report (HQ)
    Narrative {
        #[command(subcommand)]
        command: narrative::NarrativeCommand,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// The network's offices, their member number prefixes and localities
    List,
    /// HQ: add an office to the network (then invite it)
    Add {
        /// Its code: letters, digits or hyphens (e.g. kamaishi)
        #[arg(long)]
        code: String,
        /// Japanese name (e.g. 釜石事務所)
        #[arg(long)]
        name_ja: String,
        /// English name (e.g. "Kamaishi office")
        #[arg(long)]
        name_en: String,
        /// JIS code or name (03, Iwate, 岩手県)
        #[arg(long)]
        prefecture: String,
        /// Where it is, in Japanese (e.g. 釜石市)
        #[arg(long)]
        locality_ja: Option<String>,
        /// Where it is, in English (e.g. Kamaishi)
        #[arg(long)]
        locality_en: Option<String>,
        /// Member number prefix, 2-4 letters (default: the code's first three, upper-cased)
        #[arg(long)]
        prefix: Option<String>,
    },
    /// HQ: enrol an office and write its invite file, sealed with the passphrase it prints
    Invite {
        /// The office's code (tono, fukushima, sendai, ...)
        office: String,
        /// The invite file to write (give it to the office; read the passphrase out apart)
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum RemovedCommand {
    /// Removed records, most recent first, with who removed them
    List {
        /// Only this table (members, sites, grants, ...)
        #[arg(long)]
        table: Option<String>,
    },
    /// Restore a removed record by its id
    Restore {
        /// The record's id or a unique prefix of it (8+ characters)
        id: String,
        /// The table, when the same id is removed in more than one
        #[arg(long)]
        table: Option<String>,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// The organisation: names, mission, focus areas, past responses
    Show,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Canonical JSON dump of every shared table
    Json {
        /// Write to this file (atomically) instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// One table as CSV, UTF-8 with a byte order mark (Excel reads it as UTF-8)
    Csv {
        /// members, sites, contacts, gifts, ... (any synced table)
        table: String,
        /// The file to write
        #[arg(long)]
        out: PathBuf,
    },
    /// One table as an XLSX workbook
    Xlsx {
        /// The table to export: members, sites, contacts, gifts, ...
        table: String,
        /// The file to write
        #[arg(long)]
        out: PathBuf,
    },
    /// The 3W (who does what where) with HXL hashtags, as CSV
    Hxl {
        /// The file to write
        #[arg(long)]
        out: PathBuf,
        /// Only sites active on some day of the period (YYYY-MM-DD)
        #[arg(long)]
        period_start: Option<String>,
        /// Last day of the period (YYYY-MM-DD)
        #[arg(long)]
        period_end: Option<String>,
        /// Fill #contact+email with the members' emails (personal data: keep it in the network)
        #[arg(long)]
        with_contact_emails: bool,
    },
    /// The grants (parents) and their phases (children) as IATI 2.03 activities
    Iati {
        /// The file to write
        #[arg(long)]
        out: PathBuf,
        /// The reporting organisation's IATI identifier (default JP-JANIC, a placeholder)
        #[arg(long)]
        org_ref: Option<String>,
    },
}

fn run(cli: Cli, out: &Out) -> Result<(), Error> {
    let dir = cli.data_dir.clone().unwrap_or_else(kizuna_core::default_data_dir);
    let open = || Kizuna::open(&dir);
    match cli.command {
        Command::Init { office, empty, join } => {
            let k = match join {
                Some(file) => sync::join(&dir, &file)?,
                None => Kizuna::init(&dir, &InitOptions { office: Some(office), empty: Some(empty) })?,
            };
            let inst = k.installation()?;
            out.emit(&inst, |i| {
                format!("Initialised {} for office {} (schema {})", i.database, i.office, i.schema_version)
            });
        }
        Command::Office { command: OfficeCommand::List } => {
            let offices = open()?.office_list()?;
            out.emit(&offices, |list| {
                list.iter()
                    .map(|o| {
                        format!(
                            "{:<10} {:<5} {}  {} / {}{}",
                            o.code,
                            o.number_prefix,
                            o.name_en,
                            o.locality_en,
                            o.locality_ja,
                            if o.is_hq { "  [HQ]" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Office {
            command: OfficeCommand::Add { code, name_ja, name_en, prefecture, locality_ja, locality_en, prefix },
        } => {
            let input =
                OfficeInput { code, name_ja, name_en, prefecture, locality_ja, locality_en, number_prefix: prefix };
            let office = open()?.office_add(&input)?;
            out.emit(&office, |o| {
                format!(
                    "Added office {} ({} / {}), member numbers {}-0001…",
                    o.code, o.name_ja, o.name_en, o.number_prefix
                )
            });
        }
        Command::Office { command: OfficeCommand::Invite { office, out: file } } => {
            sync::invite(&mut open()?, &office, &file, out)?
        }
        Command::Sync(args) => sync::run(args, &mut open()?, out)?,
        Command::Serve(args) => sync::serve(&dir, args)?,
        Command::Profile { command: ProfileCommand::Show } => {
            let p = open()?.profile()?;
            out.emit(&p, |p| {
                let mut s = format!(
                    "{} ({})\n{}\nFounded {}. {}\n",
                    p.name_en, p.acronym, p.name_ja, p.founded_year, p.affiliation_en
                );
                s.push_str(&format!("{}\nFocus areas:\n", p.mission_en));
                for f in &p.focus_areas {
                    s.push_str(&format!("  - {} / {}\n", f.en, f.ja));
                }
                s.push_str("Past disaster responses: ");
                s.push_str(
                    &p.past_responses
                        .iter()
                        .map(|r| format!("{} ({})", r.country_en, r.year))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                s
            });
        }
        Command::Member { command } => members::run(command, &mut open()?, out)?,
        Command::Site { command } => sites::run(command, &mut open()?, out)?,
        Command::Grant { command } => grants::run_grant(command, &mut open()?, out)?,
        Command::Budget { command } => grants::run_budget(command, &mut open()?, out)?,
        Command::Spend { command } => grants::run_spend(command, &mut open()?, out)?,
        Command::Report { command } => report::run(command, &open()?, out)?,
        Command::Meeting { command } => meetings::run(command, &mut open()?, out)?,
        Command::Donor { command } => fund::run_donor(command, &mut open()?, out)?,
        Command::Gift { command } => fund::run_gift(command, &mut open()?, out)?,
        Command::Fund { command } => fund::run_fund(command, &mut open()?, out)?,
        Command::FollowUp { command } => follow_ups::run(command, &mut open()?, out)?,
        Command::Org { command } => directory::run_org(command, &mut open()?, out)?,
        Command::Contact { command } => directory::run_contact(command, &mut open()?, out)?,
        Command::List { command } => mailing::run(command, &mut open()?, out)?,
        Command::Advocacy { command } => advocacy::run_advocacy(command, &mut open()?, out)?,
        Command::Network { command } => advocacy::run_network(command, &mut open()?, out)?,
        Command::Offer { command } => matching::run_offer(command, &mut open()?, out)?,
        Command::Need { command } => matching::run_need(command, &mut open()?, out)?,
        Command::Match { command } => matching::run_match(command, &mut open()?, out)?,
        Command::Matching { command } => matching::run_matching(command, &open()?, out)?,
        Command::Dashboard => {
            let d = open()?.dashboard()?;
            out.emit(&d, |d| {
                let mut s = format!(
                    "Office: {}\nMembers: {}\nSites: {} ({} active, {} not known from their dates)\n",
                    d.office, d.members, d.sites, d.active_sites, d.activity_unknown
                );
                for p in &d.active_sites_by_prefecture {
                    s.push_str(&format!("  {:<18} {}\n", p.name_en, p.count));
                }
                for p in &d.phases {
                    s.push_str(&format!("{}: {} – {}  {}  spent {}\n", p.title_en, p.start, p.end, p.amount, p.spent));
                }
                for r in &d.reports_due {
                    let when = if r.days_left < 0 {
                        format!("OVERDUE by {} days", -r.days_left)
                    } else {
                        format!("in {} days", r.days_left)
                    };
                    s.push_str(&format!("Report due {} ({when}): {} — {}\n", r.due_on, r.label_en, r.phase_title_en));
                }
                for t in &d.tranches_pending {
                    s.push_str(&format!(
                        "Tranche not received: {} expected {}{} — {}\n",
                        t.amount,
                        t.expected_on.map_or("-".into(), |e| e.to_string()),
                        if t.overdue { " (overdue)" } else { "" },
                        t.phase_title_en
                    ));
                }
                s.push_str(&format!("Changes not yet synced: {}", d.unsynced_changes));
                s
            });
        }
        Command::Export { command: ExportCommand::Json { out: file } } => {
            let k = open()?;
            match file {
                Some(path) => {
                    k.export_json_to(&path)?;
                    out.emit(&serde_json::json!({ "written": path.display().to_string() }), |_| {
                        format!("Wrote {}", path.display())
                    });
                }
                // The dump is JSON already; --json changes nothing.
                None => output::print_stdout(&k.export_json()?),
            }
        }
        Command::Doctor { repair } => {
            let mut k = open()?;
            let report = if repair { k.doctor_repair()? } else { k.doctor()? };
            out.emit(&report, |r| {
                let mut s = String::new();
                if repair {
                    s.push_str(&format!("Repaired: {}\n", r.repaired));
                    for x in &r.skipped {
                        s.push_str(&format!("  skipped {x}\n"));
                    }
                }
                s.push_str(&format!("Problems: {}", r.findings.len()));
                for f in &r.findings {
                    s.push_str(&format!(
                        "\n  {} {} {}: {} (--repair: {})",
                        f.table, f.row_id, f.column, f.problem, f.repair
                    ));
                }
                s
            });
        }
        Command::Removed { command: RemovedCommand::List { table } } => {
            let list = open()?.removed_list(table.as_deref())?;
            out.emit(&list, |l| {
                if l.is_empty() {
                    return "No removed records".into();
                }
                l.iter()
                    .map(|r| format!("{:<14} {}  {}  (removed by {})", r.table, r.id, r.label, r.removed_by))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Removed { command: RemovedCommand::Restore { id, table } } => {
            let r = open()?.removed_restore(&id, table.as_deref())?;
            out.emit(&r, |r| format!("Restored {} {} {}", r.table, r.id, r.label));
        }
        Command::Phase { command } => grants::run_phase(command, &mut open()?, out)?,
        Command::Tranche { command } => grants::run_tranche(command, &mut open()?, out)?,
        Command::Due { command } => grants::run_due(command, &mut open()?, out)?,
        Command::Demo { members, sites, meetings, attendees, contacts, seed } => {
            let mut k = open()?;
            let summary = k.demo(members, sites, seed)?;
            let coordination = if meetings > 0 || contacts > 0 {
                Some(k.demo_coordination(meetings, attendees, contacts, seed)?)
            } else {
                None
            };
            let both = serde_json::json!({ "registry": summary, "coordination": coordination });
            out.emit(&both, |_| {
                let mut text = format!(
                    "Added {} sample members and {} sample sites (seed {})",
                    summary.members_added, summary.sites_added, summary.seed
                );
                if let Some(c) = &coordination {
                    text.push_str(&format!(
                        "\nAdded {} sample meetings ({} attendances), {} sample organisations and {} sample contacts",
                        c.meetings_added, c.attendances_added, c.organisations_added, c.contacts_added
                    ));
                }
                text
            });
        }
        Command::Import { command } => exchange::run_import(command, &mut open()?, out)?,
        Command::Export { command: ExportCommand::Csv { table, out: file } } => {
            exchange::export_table(&open()?, table, kizuna_core::api::TableFormat::Csv, &file, out)?
        }
        Command::Export { command: ExportCommand::Xlsx { table, out: file } } => {
            exchange::export_table(&open()?, table, kizuna_core::api::TableFormat::Xlsx, &file, out)?
        }
        Command::Export {
            command: ExportCommand::Hxl { out: file, period_start, period_end, with_contact_emails },
        } => {
            let req = kizuna_core::api::HxlExportRequest {
                path: file.display().to_string(),
                period_start,
                period_end,
                contact_emails: Some(with_contact_emails),
            };
            exchange::export_hxl(&open()?, req, out)?
        }
        Command::Export { command: ExportCommand::Iati { out: file, org_ref } } => {
            let req = kizuna_core::api::IatiExportRequest { path: file.display().to_string(), org_ref };
            exchange::export_iati(&open()?, req, out)?
        }
        Command::Backup { out: Some(file), .. } => exchange::backup(&open()?, &file, out)?,
        Command::Backup { out: None, .. } => exchange::backup_list(&open()?, out)?,
        Command::Restore { file, check: true, .. } => exchange::restore_check(&open()?, &file, out)?,
        Command::Restore { file, force, .. } => exchange::restore(&mut open()?, &file, force, out)?,
        Command::Narrative { command } => narrative::run(command, &mut open()?, out)?,
    }
    Ok(())
}

/// Logs go to stderr: RUST_LOG when set, else warnings (the hub: each
/// request), and everything of Kizuna's with --verbose.
fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let default = if cli.verbose {
        "kizuna=debug,kizuna_core=debug,info"
    } else if matches!(cli.command, Command::Serve(_)) {
        "info"
    } else {
        "warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

fn main() -> ExitCode {
    let root = Cli::command();
    let matches = root.clone().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.format(&mut Cli::command()).exit(),
    };
    init_logging(&cli);
    let out = Out { json: cli.json, flags: output::Flags::of(&root, &matches) };
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every subcommand has a help line and every flag and argument says
    /// what it takes (`kizuna X --help` is the manual in the field).
    #[test]
    fn every_subcommand_and_flag_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let here = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() {
                    missing.push(format!("`{here}` has no help line"));
                }
                for arg in sub.get_arguments() {
                    let id = arg.get_id().as_str();
                    if arg.is_global_set() || id == "help" || id == "version" {
                        continue;
                    }
                    if arg.get_help().is_none() {
                        missing.push(format!("`{here}` argument {id} has no help"));
                    }
                }
                walk(sub, &here, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "kizuna", &mut missing);
        assert!(missing.is_empty(), "{} without help:\n{}", missing.len(), missing.join("\n"));
    }
}
