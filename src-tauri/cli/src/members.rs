//! `kizuna member ...`

use clap::{Args, Subcommand};
use kizuna_core::model::member::{Member, MemberInput, MemberQuery};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum MemberCommand {
    /// Register a member NGO
    Add(MemberFields),
    /// List members
    List {
        #[arg(long)]
        prefecture: Option<String>,
        /// Matches names, reading, number, contact and email; width- and kana-insensitive
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// name_en, name_ja, member_no or sites
        #[arg(long)]
        sort: Option<String>,
        #[arg(long)]
        desc: bool,
        #[arg(long, default_value_t = 0)]
        offset: i64,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    Show {
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        id: String,
        #[command(flatten)]
        fields: MemberFields,
    },
    /// Remove a member and its sites
    Remove {
        id: String,
    },
}

#[derive(Args)]
pub struct MemberFields {
    #[arg(long)]
    name_ja: Option<String>,
    #[arg(long)]
    name_en: Option<String>,
    /// Kana reading of the Japanese name
    #[arg(long)]
    reading: Option<String>,
    #[arg(long)]
    legal_form: Option<String>,
    #[arg(long)]
    contact: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// Repeatable: a JIS code, English or Japanese name
    #[arg(long = "prefecture")]
    prefectures: Vec<String>,
    /// active, suspended or withdrawn
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    joined: Option<String>,
    #[arg(long)]
    left: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// Also funded through the donor's relief fund (true/false)
    #[arg(long)]
    donor_fund_partner: Option<bool>,
}

impl MemberFields {
    fn input(self) -> MemberInput {
        MemberInput {
            name_ja: self.name_ja,
            name_en: self.name_en,
            reading: self.reading,
            legal_form: self.legal_form,
            contact_person: self.contact,
            email: self.email,
            phone: self.phone,
            address: self.address,
            prefectures: (!self.prefectures.is_empty()).then_some(self.prefectures),
            status: self.status,
            joined_on: self.joined,
            left_on: self.left,
            notes: self.notes,
            donor_fund_partner: self.donor_fund_partner,
        }
    }
}

pub fn describe(m: &Member) -> String {
    let mut s = format!("{}  {}\n  {} / {}\n", m.member_no, m.id, m.name_ja, m.name_en);
    let mut line = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push_str(&format!("  {k:<15} {v}\n"));
        }
    };
    line("reading", m.reading.as_deref());
    line("legal form", m.legal_form.as_deref());
    line("contact", m.contact_person.as_deref());
    line("email", m.email.as_deref());
    line("phone", m.phone.as_deref());
    line("address", m.address.as_deref());
    line("prefectures", Some(&m.prefectures.join(", ")));
    line("status", Some(&m.status));
    line("joined", m.joined_on.map(|d| d.to_string()).as_deref());
    line("left", m.left_on.map(|d| d.to_string()).as_deref());
    line("notes", m.notes.as_deref());
    s.push_str(&format!("  sites           {} ({} active)", m.site_count, m.active_site_count));
    s
}

pub fn run(cmd: MemberCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        MemberCommand::Add(f) => {
            let m = k.member_add(&f.input())?;
            out.emit(&m, describe);
        }
        MemberCommand::List { prefecture, search, status, sort, desc, offset, limit } => {
            let q = MemberQuery {
                prefecture,
                search,
                status,
                sort: sort.map(|s| s.parse()).transpose()?,
                descending: Some(desc),
                offset: Some(offset),
                limit: Some(limit),
            };
            let page = k.member_list(&q)?;
            out.emit(&page, |p| {
                let mut s: Vec<String> = p
                    .rows
                    .iter()
                    .map(|m| {
                        format!(
                            "{}  {}  {} / {}  [{}] sites:{}",
                            m.member_no,
                            m.id,
                            m.name_ja,
                            m.name_en,
                            m.prefectures.join(","),
                            m.site_count
                        )
                    })
                    .collect();
                s.push(format!("{} of {} members", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        MemberCommand::Show { id } => out.emit(&k.member_show(&id)?, describe),
        MemberCommand::Edit { id, fields } => {
            let m = k.member_edit(&id, &fields.input())?;
            out.emit(&m, describe);
        }
        MemberCommand::Remove { id } => {
            k.member_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed member {id}"));
        }
    }
    Ok(())
}
