//! `kizuna site ...`

use clap::{Args, Subcommand};
use kizuna_core::model::site::{Site, SiteInput, SiteQuery};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum SiteCommand {
    /// Add a relief site run by a member
    Add(SiteFields),
    List {
        #[arg(long)]
        prefecture: Option<String>,
        #[arg(long)]
        member: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        sector: Option<String>,
        #[arg(long, default_value_t = 0)]
        offset: i64,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    Show {
        id: String,
    },
    /// Change only the fields given
    Edit {
        id: String,
        #[command(flatten)]
        fields: SiteFields,
    },
    Remove {
        id: String,
    },
}

#[derive(Args)]
pub struct SiteFields {
    #[arg(long)]
    member: Option<String>,
    #[arg(long)]
    prefecture: Option<String>,
    #[arg(long)]
    municipality: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    name_en: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<String>,
    /// Repeatable
    #[arg(long = "sector")]
    sectors: Vec<String>,
    /// planned, active or closed
    #[arg(long)]
    status: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    opened: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    closed: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

impl SiteFields {
    fn input(self) -> SiteInput {
        SiteInput {
            member_id: self.member,
            prefecture: self.prefecture,
            municipality: self.municipality,
            name: self.name,
            name_en: self.name_en,
            address: self.address,
            latitude: self.lat,
            longitude: self.lon,
            sectors: (!self.sectors.is_empty()).then_some(self.sectors),
            status: self.status,
            opened_on: self.opened,
            closed_on: self.closed,
            notes: self.notes,
        }
    }
}

fn describe(s: &Site) -> String {
    format!(
        "{}  {}{}\n  {} {}  member {} ({})\n  status {}  sectors [{}]  opened {}  closed {}",
        s.id,
        s.name,
        s.name_en.as_deref().map(|n| format!(" / {n}")).unwrap_or_default(),
        s.prefecture_code,
        s.municipality,
        s.member_name_en.as_deref().unwrap_or("?"),
        s.member_id,
        s.status,
        s.sectors.join(","),
        s.opened_on.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        s.closed_on.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
    )
}

pub fn run(cmd: SiteCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        SiteCommand::Add(f) => out.emit(&k.site_add(&f.input())?, describe),
        SiteCommand::List { prefecture, member, search, status, sector, offset, limit } => {
            let q = SiteQuery {
                prefecture,
                member_id: member,
                search,
                status,
                sector,
                offset: Some(offset),
                limit: Some(limit),
            };
            let page = k.site_list(&q)?;
            out.emit(&page, |p| {
                let mut s: Vec<String> = p
                    .rows
                    .iter()
                    .map(|x| format!("{}  {}  {} {}  [{}]", x.id, x.name, x.prefecture_code, x.municipality, x.status))
                    .collect();
                s.push(format!("{} of {} sites", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        SiteCommand::Show { id } => out.emit(&k.site_show(&id)?, describe),
        SiteCommand::Edit { id, fields } => out.emit(&k.site_edit(&id, &fields.input())?, describe),
        SiteCommand::Remove { id } => {
            k.site_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed site {id}"));
        }
    }
    Ok(())
}
