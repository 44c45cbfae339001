//! `kizuna sync ...`, `kizuna serve`, `kizuna office invite` and
//! `kizuna init --join`: thin wrappers over `kizuna_core::sync`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use kizuna_core::sync::{HubOptions, SyncConfig};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    /// Push to and pull from the hub at this URL (https://HOST:PORT; http:// only to this computer)
    #[arg(long)]
    hub: Option<String>,
    /// Hold changes stamped more than this many seconds ahead of this clock
    #[arg(long, default_value_t = 600, global = true)]
    max_future_secs: i64,
    #[command(subcommand)]
    command: Option<SyncCommand>,
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Write a signed bundle of this replica's changes (for a USB stick)
    Export {
        /// The bundle file to write
        #[arg(long)]
        out: PathBuf,
        /// Only changes not yet exported for this office
        #[arg(long)]
        since_last_for: Option<String>,
    },
    /// Verify a bundle completely, then merge it in one transaction
    Import {
        /// The bundle file to read
        file: PathBuf,
        /// Largest bundle accepted, in bytes (default 512 MiB)
        #[arg(long)]
        max_bytes: Option<u64>,
    },
    /// Unsent changes, last sync per peer, quarantined and overwritten values
    Status,
    /// Mass deletes held for HQ's review
    Held {
        #[command(subcommand)]
        command: HeldCommand,
    },
    /// Write a value that lost a conflict again (see `sync status`)
    Restore {
        /// Table of the overwritten value (as `sync status` lists it)
        #[arg(long)]
        table: String,
        /// Row id of the overwritten value
        #[arg(long)]
        row: String,
        /// Column of the overwritten value
        #[arg(long)]
        column: String,
        /// Stamp (HLC) of the value to write again
        #[arg(long)]
        hlc: i64,
        /// Office that wrote the value to write again
        #[arg(long)]
        origin: String,
    },
}

#[derive(Subcommand)]
pub enum HeldCommand {
    /// Held batches of deletes
    List,
    /// HQ: apply a held batch (the deletes then sync everywhere)
    Approve {
        /// The held batch's number (see `sync held list`)
        batch: i64,
    },
    /// HQ: discard a held batch; the records stay
    Reject {
        /// The held batch's number (see `sync held list`)
        batch: i64,
    },
}

fn config(secs: i64) -> Result<SyncConfig, Error> {
    if secs < 0 {
        return Err(Error::invalid("max-future-secs", "must not be negative"));
    }
    Ok(SyncConfig { max_future_ms: secs.saturating_mul(1000), ..SyncConfig::default() })
}

pub fn run(args: SyncArgs, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    let cfg = config(args.max_future_secs)?;
    match (args.hub, args.command) {
        (Some(hub), _) => {
            let json = out.json;
            let report = k.sync_with_hub(&hub, &cfg, &mut |p| {
                if !json {
                    eprintln!("{}: {} changes", p.stage, p.changes);
                }
            })?;
            out.emit(&report, |r| {
                format!(
                    "Synced with {}: pushed {}, pulled {} ({} new), quarantined {}, parked {}; digests {}",
                    r.hub,
                    r.pushed,
                    r.pulled,
                    r.new,
                    r.quarantined,
                    r.parked,
                    if r.digests_match { "match" } else { "DIFFER" }
                )
            });
            if !report.digests_match {
                return Err(Error::Sync(
                    "logs still differ from the hub's after a full exchange; see `kizuna sync status`".into(),
                ));
            }
        }
        (None, Some(SyncCommand::Export { out: file, since_last_for })) => {
            let (bytes, report) = k.sync_export(since_last_for.as_deref())?;
            kizuna_core::files::write_atomic(&file, &bytes)?;
            out.emit(&report, |r| format!("Wrote {} changes ({} bytes) to {}", r.changes, r.bytes, file.display()));
        }
        (None, Some(SyncCommand::Import { file, max_bytes })) => {
            let cfg = SyncConfig { max_bundle_bytes: max_bytes.unwrap_or(cfg.max_bundle_bytes), ..cfg };
            let r = k.sync_import_file(&file, &cfg)?;
            out.emit(&r, |r| {
                let mut s = format!(
                    "Imported {} changes from {}: {} new, {} cells updated, {} parked, {} quarantined, {} refused, {} held",
                    r.changes, r.from, r.new, r.applied, r.parked, r.quarantined, r.refused, r.held
                );
                if r.refused > 0 || r.held > 0 {
                    s.push_str("\nwarning: some changes were refused or held for HQ's review; see `kizuna sync status`");
                }
                if r.quarantined > 0 {
                    s.push_str("\nwarning: some changes are stamped too far in the future and were held back; see `kizuna sync status`");
                }
                s
            });
        }
        (None, Some(SyncCommand::Status)) => {
            let s = k.sync_status()?;
            out.emit(&s, |s| {
                let mut t = format!(
                    "Office: {}{}\nEnrolled offices: {}\nUnsent changes: {}\n",
                    s.office,
                    if s.enrolled { "" } else { " (not enrolled)" },
                    s.enrolled_offices.join(", "),
                    s.unsent_changes
                );
                for p in &s.peers {
                    let when = p.last_sync_at.and_then(chrono_like).unwrap_or_else(|| "never".into());
                    let n = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
                    t.push_str(&format!(
                        "  {:<40} last sync {when}: sent {}, received {} entries\n",
                        p.peer,
                        n(p.last_sent),
                        n(p.last_received)
                    ));
                }
                t.push_str(&format!("Quarantined changes: {}\n", s.quarantined.len()));
                for q in &s.quarantined {
                    t.push_str(&format!(
                        "  {}.{} of {} from {} ({}s ahead)\n",
                        q.table, q.column, q.row_id, q.origin, q.ahead_secs
                    ));
                }
                t.push_str(&format!("Parked changes (unknown tables/columns): {}\n", s.parked_changes));
                t.push_str(&format!("Refused changes: {}\n", s.refused.len()));
                for r in &s.refused {
                    t.push_str(&format!("  {} {} from {} via {}: {}\n", r.table, r.row_id, r.origin, r.via, r.reason));
                }
                t.push_str(&format!("Held deletes (for HQ's review): {}\n", s.held.len()));
                for h in &s.held {
                    t.push_str(&format!(
                        "  batch {}: {} deletes in {} by {} via {} (kizuna sync held approve|reject {})\n",
                        h.batch,
                        h.deletes,
                        h.tables.join(", "),
                        h.origins.join(", "),
                        h.via,
                        h.batch
                    ));
                }
                t.push_str(&format!("Overwritten values: {}", s.overwritten.len()));
                for o in &s.overwritten {
                    t.push_str(&format!(
                        "\n  {}.{} of {}: {:?} from {} lost to {:?} from {} (restore: --hlc {} --origin {})",
                        o.table,
                        o.column,
                        o.row_id,
                        o.lost_value,
                        o.lost_origin,
                        o.current_value,
                        o.current_origin,
                        o.lost_hlc,
                        o.lost_origin
                    ));
                }
                t
            });
        }
        (None, Some(SyncCommand::Held { command })) => match command {
            HeldCommand::List => {
                let held = k.sync_held()?;
                out.emit(&held, |h| {
                    if h.is_empty() {
                        return "No deletes held".into();
                    }
                    h.iter()
                        .map(|b| {
                            format!(
                                "batch {}: {} deletes in {} by {}",
                                b.batch,
                                b.deletes,
                                b.tables.join(", "),
                                b.origins.join(", ")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            HeldCommand::Approve { batch } => {
                let n = k.sync_held_approve(batch)?;
                out.emit(&serde_json::json!({ "batch": batch, "applied": n }), |_| {
                    format!("Applied {n} held deletes of batch {batch}")
                });
            }
            HeldCommand::Reject { batch } => {
                let n = k.sync_held_reject(batch)?;
                out.emit(&serde_json::json!({ "batch": batch, "discarded": n }), |_| {
                    format!("Discarded {n} held deletes of batch {batch}; the records stay")
                });
            }
        },
        (None, Some(SyncCommand::Restore { table, row, column, hlc, origin })) => {
            k.restore_overwritten(&table, &row, &column, hlc, &origin)?;
            out.emit(&serde_json::json!({ "restored": true }), |_| format!("Restored {table}.{column} of {row}"));
        }
        (None, None) => {
            return Err(Error::invalid("hub", "give --hub URL or a subcommand (export, import, status, restore)"));
        }
    }
    Ok(())
}

fn chrono_like(ms: i64) -> Option<String> {
    kizuna_core::hlc::Stamp::from_parts(ms, 0).time().map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
}

pub fn invite(k: &mut Kizuna, office: &str, file: &Path, out: &Out) -> Result<(), Error> {
    let sealed = k.office_invite(office)?;
    kizuna_core::secret::write_owner_only(file, &sealed.bytes)?;
    let json = serde_json::json!({
        "office": office,
        "invite": file.display().to_string(),
        "passphrase": sealed.passphrase,
        "hub_fingerprint": sealed.hub_fingerprint,
    });
    out.emit(&json, |_| {
        format!(
            "Enrolled office {office}; invite written to {}.\n\
             Passphrase (read it out to the office, apart from the file; it is shown only now):\n\n    {}\n\n\
             The office will trust only the hub whose certificate has SHA-256 fingerprint {}",
            file.display(),
            sealed.passphrase,
            sealed.hub_fingerprint.as_deref().unwrap_or("-")
        )
    });
    Ok(())
}

/// Where `init --join` takes the invite's passphrase from when not asked on
/// a terminal (scripts, tests).
const PASSPHRASE_ENV: &str = "KIZUNA_INVITE_PASSPHRASE";

pub fn join(dir: &Path, file: &Path) -> Result<Kizuna, Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let passphrase = passphrase()?;
    Kizuna::join(dir, &bytes, &passphrase)
}

fn passphrase() -> Result<String, Error> {
    use std::io::IsTerminal;
    if let Some(p) = std::env::var_os(PASSPHRASE_ENV) {
        return p.into_string().map_err(|_| Error::invalid("passphrase", format!("{PASSPHRASE_ENV} is not UTF-8")));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "passphrase",
            format!("give the invite's passphrase on a terminal, or in {PASSPHRASE_ENV}"),
        ));
    }
    eprint!("Passphrase HQ read out (XXXXX-XXXXX-XXXXX-XXXXX): ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| Error::io("stdin", e))?;
    Ok(line.trim().to_string())
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed on start)
    #[arg(long, default_value = "127.0.0.1:7878")]
    listen: String,
    /// Largest request body accepted, in bytes
    #[arg(long, default_value_t = kizuna_core::sync::hub::DEFAULT_MAX_BODY)]
    max_body: u64,
    /// Hold pushed changes stamped more than this many seconds ahead of the hub's clock
    #[arg(long, default_value_t = 600)]
    max_future_secs: i64,
    /// Seconds a client may take for a TLS handshake or a request head
    #[arg(long, default_value_t = 10)]
    header_timeout_secs: u64,
    /// Seconds a client may take to send a request body
    #[arg(long, default_value_t = 60)]
    body_timeout_secs: u64,
    /// Requests served at once; more wait their turn
    #[arg(long, default_value_t = 16)]
    max_concurrent: usize,
    /// Serve plain HTTP instead of HTTPS (loopback addresses only, for tests)
    #[arg(long)]
    plain_http: bool,
}

pub fn serve(dir: &Path, a: ServeArgs) -> Result<(), Error> {
    let opts = HubOptions {
        max_body: a.max_body,
        config: config(a.max_future_secs)?,
        tls: !a.plain_http,
        header_timeout: Duration::from_secs(a.header_timeout_secs.max(1)),
        body_timeout: Duration::from_secs(a.body_timeout_secs.max(1)),
        max_concurrent: a.max_concurrent.max(1),
        ..HubOptions::default()
    };
    let hub = kizuna_core::sync::serve(dir, &a.listen, opts)?;
    // Tests and scripts read the bound address (port 0 picks one) from here.
    println!("listening on {}", hub.url());
    if let Some(fp) = hub.fingerprint() {
        println!("certificate SHA-256 fingerprint: {fp}");
    }
    let _ = std::io::stdout().flush();
    hub.wait_for_signal();
    Ok(())
}
