//! `kizuna import|export csv|xlsx|hxl|iati|backup|restore`: data exchange
//! with spreadsheets and the humanitarian system, and backups.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use kizuna_core::api::{
    BackupFile, BackupSaved, DuplicateChoice, ExportSaved, HeaderField, HxlExportRequest, IatiExportRequest,
    ImportKind, ImportReport, ImportRequest, RestorePlan, RestoreReport, RowDecision, TableExportRequest, TableFormat,
};
use kizuna_core::exchange::text::TextEncoding;
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Member NGOs
    Members(ImportArgs),
    /// Relief sites (the member by number, id or name)
    Sites(ImportArgs),
    /// Contact people (their member by number, id or name)
    Contacts(ImportArgs),
    /// Gifts to the pooled fund (HQ); unknown donors are created
    Gifts(ImportArgs),
    /// Show the saved header mapping of a kind, or save one with --map
    Mapping {
        /// members, sites, contacts or gifts
        kind: String,
        /// HEADER=FIELD (an empty FIELD ignores the column); replaces the saved mapping
        #[arg(long = "map")]
        map: Vec<String>,
    },
}

#[derive(Args)]
pub struct ImportArgs {
    /// A .csv or .xlsx file
    file: PathBuf,
    /// Check and list problems and likely duplicates; write nothing
    #[arg(long)]
    dry_run: bool,
    /// CSV: utf-8 or cp932 (Excel's Shift_JIS); detected when absent
    #[arg(long)]
    encoding: Option<String>,
    /// XLSX: the worksheet (the first when absent)
    #[arg(long)]
    sheet: Option<String>,
    /// For likely duplicates: skip (default), merge or add
    #[arg(long)]
    on_duplicate: Option<String>,
    /// ROW=skip|merge|add for one row's likely duplicate (repeatable)
    #[arg(long = "decide")]
    decide: Vec<String>,
    /// HEADER=FIELD for this import, over the saved mapping (repeatable)
    #[arg(long = "map")]
    map: Vec<String>,
}

fn pair<'a>(arg: &str, v: &'a str) -> Result<(&'a str, &'a str), Error> {
    v.split_once('=').ok_or_else(|| Error::invalid(arg, format!("'{v}' is not NAME=VALUE")))
}

fn mappings(map: &[String]) -> Result<Vec<HeaderField>, Error> {
    map.iter()
        .map(|m| pair("map", m).map(|(h, f)| HeaderField { header: h.trim().into(), field: f.trim().into() }))
        .collect()
}

fn kind_of(cmd: &ImportCommand) -> ImportKind {
    match cmd {
        ImportCommand::Members(_) => ImportKind::Members,
        ImportCommand::Sites(_) => ImportKind::Sites,
        ImportCommand::Contacts(_) => ImportKind::Contacts,
        ImportCommand::Gifts(_) | ImportCommand::Mapping { .. } => ImportKind::Gifts,
    }
}

pub fn run_import(cmd: ImportCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    let kind = kind_of(&cmd);
    let args = match cmd {
        ImportCommand::Mapping { kind, map } => {
            let kind: ImportKind = kind.parse()?;
            let saved =
                if map.is_empty() { k.import_mapping(kind)? } else { k.import_mapping_save(kind, &mappings(&map)?)? };
            out.emit(&saved, |m| {
                if m.is_empty() {
                    return "No saved mapping: headers are read by their usual Japanese and English names".into();
                }
                m.iter()
                    .map(|h| format!("{} = {}", h.header, if h.field.is_empty() { "(ignored)" } else { &h.field }))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            return Ok(());
        }
        ImportCommand::Members(a) | ImportCommand::Sites(a) | ImportCommand::Contacts(a) | ImportCommand::Gifts(a) => a,
    };
    let mut decisions = Vec::new();
    for d in &args.decide {
        let (row, choice) = pair("decide", d)?;
        let row: u32 =
            row.trim().parse().map_err(|_| Error::invalid("decide", format!("'{row}' is not a row number")))?;
        decisions.push(RowDecision { row, choice: choice.parse()? });
    }
    let req = ImportRequest {
        kind,
        path: args.file.display().to_string(),
        encoding: args.encoding.as_deref().map(str::parse::<TextEncoding>).transpose()?,
        sheet: args.sheet,
        mapping: Some(mappings(&args.map)?),
        on_duplicate: args.on_duplicate.as_deref().map(str::parse::<DuplicateChoice>).transpose()?,
        decisions: Some(decisions),
        dry_run: Some(args.dry_run),
    };
    let report = k.import(&req)?;
    out.emit(&report, import_text);
    if !report.problems.is_empty() {
        return Err(Error::invalid(
            "file",
            format!("{} problem(s) in {}: nothing was written", report.problems.len(), report.path),
        ));
    }
    Ok(())
}

fn import_text(r: &ImportReport) -> String {
    let mut s = String::new();
    let read = match (&r.sheet, &r.encoding) {
        (Some(sheet), _) => format!("sheet {sheet}"),
        (None, Some(e)) => format!("{e:?}").to_lowercase().replace("utf8", "UTF-8").replace("cp932", "CP932"),
        _ => String::new(),
    };
    s.push_str(&format!("{} ({read}): {} rows\n", r.path, r.rows));
    for c in &r.columns {
        s.push_str(&format!(
            "  column {} {:<20} -> {}\n",
            c.letter,
            c.header,
            c.field.as_deref().unwrap_or("(ignored)")
        ));
    }
    if !r.problems.is_empty() {
        s.push_str(&format!("Problems ({}):\n", r.problems.len()));
        for p in &r.problems {
            s.push_str(&format!("  {p}\n"));
        }
    }
    if !r.duplicates.is_empty() {
        s.push_str(&format!("Likely duplicates ({}):\n", r.duplicates.len()));
        for d in &r.duplicates {
            let choice = format!("{:?}", d.choice).to_lowercase();
            let of = match d.earlier_row {
                Some(_) => format!("{} (earlier in this file)", d.existing_label),
                None => format!("{} [{}]", d.existing_label, d.existing_id),
            };
            s.push_str(&format!("  row {}: {} ~ {of} -> {choice}\n", d.row, d.name));
        }
    }
    let verb = if r.committed {
        "Imported"
    } else if r.dry_run {
        "Dry run, would import"
    } else {
        "Nothing written; would import"
    };
    s.push_str(&format!("{verb}: added {}, merged {}, skipped {}", r.added, r.merged, r.skipped));
    if r.donors_added > 0 {
        s.push_str(&format!(" ({} new fund donors)", r.donors_added));
    }
    s
}

fn saved_text(what: &str) -> impl Fn(&ExportSaved) -> String + '_ {
    move |s| format!("Wrote {} ({what}, {} rows, {} bytes)", s.path, s.rows, s.bytes)
}

pub fn export_table(k: &Kizuna, table: String, format: TableFormat, path: &Path, out: &Out) -> Result<(), Error> {
    let saved = k.export_table(&TableExportRequest { table, format, path: path.display().to_string() })?;
    out.emit(&saved, saved_text(if format == TableFormat::Csv { "CSV, UTF-8 with BOM" } else { "XLSX" }));
    Ok(())
}

pub fn export_hxl(k: &Kizuna, req: HxlExportRequest, out: &Out) -> Result<(), Error> {
    let saved = k.export_hxl(&req)?;
    out.emit(&saved, saved_text("3W with HXL hashtags"));
    Ok(())
}

pub fn export_iati(k: &Kizuna, req: IatiExportRequest, out: &Out) -> Result<(), Error> {
    let saved = k.export_iati(&req)?;
    out.emit(&saved, |s| format!("Wrote {} (IATI 2.03, {} activities, {} bytes)", s.path, s.rows, s.bytes));
    Ok(())
}

pub fn backup(k: &Kizuna, path: &Path, out: &Out) -> Result<(), Error> {
    let saved: BackupSaved = k.backup(path)?;
    out.emit(&saved, |b| {
        format!(
            "Backed up office {} (schema {}) to {} ({} bytes); it opens only with this data folder's keys/database.key",
            b.office, b.schema_version, b.path, b.bytes
        )
    });
    Ok(())
}

pub fn backup_list(k: &Kizuna, out: &Out) -> Result<(), Error> {
    let list: Vec<BackupFile> = k.backup_list()?;
    out.emit(&list, |l| {
        if l.is_empty() {
            return "No automatic backups yet".into();
        }
        l.iter()
            .map(|b| {
                format!("{:<7} {}  {}  {} bytes", format!("{:?}", b.kind).to_lowercase(), b.taken_at, b.path, b.bytes)
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

pub fn restore_check(k: &Kizuna, path: &Path, out: &Out) -> Result<(), Error> {
    let plan: RestorePlan = k.restore_check(path)?;
    out.emit(&plan, |p| {
        let mut s = format!("{}: office {}, schema {}, integrity ok\n", p.path, p.office, p.schema_version);
        if p.lost_total == 0 {
            s.push_str("Restoring it discards no unsynced change");
        } else {
            s.push_str(&format!("Restoring it would discard {} unsynced change(s):", p.lost_total));
            for c in &p.lost {
                s.push_str(&format!("\n  {} {} ({}) at {}", c.table, c.row_id, c.columns.join(", "), c.stamp));
            }
        }
        s
    });
    Ok(())
}

pub fn restore(k: &mut Kizuna, path: &Path, force: bool, out: &Out) -> Result<(), Error> {
    let report: RestoreReport = k.restore(path, force)?;
    out.emit(&report, |r| {
        let mut s = format!("Restored {} (office {}, schema {})", r.path, r.office, r.schema_version);
        if r.discarded_total > 0 {
            s.push_str(&format!("; discarded {} unsynced change(s)", r.discarded_total));
        }
        s
    });
    Ok(())
}
