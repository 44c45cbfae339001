//! `kizuna report profile|phase ...`: Direct Relief reports as PDF.

use std::path::PathBuf;

use clap::Subcommand;
use kizuna_core::api::{ReportKind, ReportOptions, ReportRequest};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The partner profile: the organisation, its offices and every grant
    Profile {
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// en (the donor's edition) or ja
        #[arg(long)]
        lang: Option<String>,
        /// Date the report states it was prepared on (YYYY-MM-DD); default: the latest change in the records
        #[arg(long)]
        as_of: Option<String>,
    },
    /// A phase report: figures for the period, activities, financial statement, sites
    Phase {
        /// The phase's id (see `kizuna grant list`)
        id: String,
        /// Where to write the PDF
        #[arg(long)]
        out: PathBuf,
        /// First day of the reporting period (YYYY-MM-DD, or YYYY-MM from the month's first day); default: the phase's start
        #[arg(long)]
        period_start: Option<String>,
        /// Last day of the reporting period (YYYY-MM-DD, or YYYY-MM to the month's last day); default: the phase's end
        #[arg(long)]
        period_end: Option<String>,
        /// en (default) or ja
        #[arg(long)]
        lang: Option<String>,
        /// The day the records are stated as of (YYYY-MM-DD); default: the latest change
        #[arg(long)]
        as_of: Option<String>,
        /// The final report for the donor: refused until the period's narrative and sign-off are complete
        /// (without it the report is marked as a draft)
        #[arg(long = "final")]
        final_report: bool,
        /// Also write the report's tables as an XLSX workbook here
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
}

pub fn run(cmd: ReportCommand, k: &Kizuna, out: &Out) -> Result<(), Error> {
    let (req, path, xlsx) = match cmd {
        ReportCommand::Profile { out, lang, as_of } => (
            ReportRequest {
                kind: ReportKind::Profile,
                phase_id: None,
                options: ReportOptions { lang, as_of, ..Default::default() },
            },
            out,
            None,
        ),
        ReportCommand::Phase { id, out, period_start, period_end, lang, as_of, final_report, xlsx } => (
            ReportRequest {
                kind: ReportKind::Phase,
                phase_id: Some(id),
                options: ReportOptions { lang, period_start, period_end, as_of, final_report: Some(final_report) },
            },
            out,
            xlsx,
        ),
    };
    let saved = k.report_save(&req, &path, &mut |_| {})?;
    out.emit(&saved, |s| format!("Wrote {} ({} bytes)", s.path, s.bytes));
    if let (Some(file), Some(id)) = (xlsx, req.phase_id.as_deref()) {
        let sheet = k.report_save_xlsx(id, &req.options, &file)?;
        out.emit(&sheet, |s| format!("Wrote {} ({} bytes)", s.path, s.bytes));
    }
    Ok(())
}
