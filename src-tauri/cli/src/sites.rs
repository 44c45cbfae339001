//! `kizuna site ...`

use clap::{Args, Subcommand};
use kizuna_core::model::site::{Site, SiteInput, SiteQuery};
use kizuna_core::{Error, Kizuna};

use crate::output::{Out, prefecture_name};

#[derive(Subcommand)]
pub enum SiteCommand {
    /// Add a relief site run by a member (--member, --prefecture, --municipality and --name are required)
    Add(SiteFields),
    /// List sites
    List {
        /// Only sites in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// Only sites of this member (member number, id or unique id prefix)
        #[arg(long)]
        member: Option<String>,
        /// Matches name, municipality and address; width- and kana-insensitive
        #[arg(long)]
        search: Option<String>,
        /// planned, active or closed
        #[arg(long)]
        status: Option<String>,
        /// Only sites working in this sector
        #[arg(long)]
        sector: Option<String>,
        /// Skip this many sites
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Show a site by id or unique id prefix (8+ characters)
    Show {
        /// Site id or unique id prefix
        id: String,
    },
    /// Change only the fields given
    Edit {
        /// Site id or unique id prefix
        id: String,
        #[command(flatten)]
        fields: SiteFields,
    },
    /// Remove a site (`kizuna removed restore ID` brings it back)
    Remove {
        /// Site id or unique id prefix
        id: String,
    },
}

#[derive(Args)]
pub struct SiteFields {
    /// The member running it: member number (TNO-0003), id or unique id prefix (required to add)
    #[arg(long)]
    member: Option<String>,
    /// JIS code, English or Japanese name (required to add)
    #[arg(long)]
    prefecture: Option<String>,
    /// A municipality of the prefecture, as in JIS X 0402 (石巻市, 上閉伊郡大槌町) (required to add)
    #[arg(long)]
    municipality: Option<String>,
    /// Take --municipality as typed: it is not in the JIS X 0402 list
    #[arg(long)]
    municipality_free: bool,
    /// Japanese name of the site (required to add)
    #[arg(long)]
    name: Option<String>,
    /// English name of the site
    #[arg(long)]
    name_en: Option<String>,
    /// Street address
    #[arg(long)]
    address: Option<String>,
    /// Latitude, decimal degrees (with --lon)
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<String>,
    /// Longitude, decimal degrees (with --lat)
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<String>,
    /// Repeatable: shelter, food, water_sanitation, health, ...
    #[arg(long = "sector")]
    sectors: Vec<String>,
    /// planned, active or closed (closed without --closed: closed today)
    #[arg(long)]
    status: Option<String>,
    /// Day it opened, YYYY-MM-DD, not in the future (none for a planned site)
    #[arg(long)]
    opened: Option<String>,
    /// Day it closed, YYYY-MM-DD
    #[arg(long)]
    closed: Option<String>,
    /// Free-text notes
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
            municipality_free: self.municipality_free.then_some(true),
        }
    }
}

fn describe(s: &Site) -> String {
    format!(
        "{}  {}{}\n  {} {}  member {} ({})\n  status {}  sectors [{}]  opened {}  closed {}",
        s.id,
        s.name,
        s.name_en.as_deref().map(|n| format!(" / {n}")).unwrap_or_default(),
        prefecture_name(&s.prefecture_code),
        s.municipality,
        // A Japanese-only member has no English name.
        s.member_name_en.as_deref().filter(|n| !n.is_empty()).or(s.member_name_ja.as_deref()).unwrap_or("?"),
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
                    .map(|x| {
                        format!(
                            "{}  {}  {} {}  [{}]",
                            x.id,
                            x.name,
                            prefecture_name(&x.prefecture_code),
                            x.municipality,
                            x.status
                        )
                    })
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
