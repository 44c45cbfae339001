//! `kizuna member ...`

use clap::{Args, Subcommand};
use kizuna_core::model::member::{Member, MemberInput, MemberQuery};
use kizuna_core::{Error, Kizuna};

use crate::output::{Out, prefecture_names};

#[derive(Subcommand)]
pub enum MemberCommand {
    /// Register a member NGO (--name-ja is required)
    Add {
        #[command(flatten)]
        fields: MemberFields,
        /// Register it even if a member of the same name (legal form aside) works in the same prefecture
        #[arg(long)]
        allow_duplicate: bool,
    },
    /// List members
    List {
        /// Only members working in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// Matches names, reading, number, contact and email; width- and kana-insensitive
        #[arg(long)]
        search: Option<String>,
        /// active, suspended or withdrawn
        #[arg(long)]
        status: Option<String>,
        /// name_en, name_ja, reading, member_no or sites
        #[arg(long)]
        sort: Option<String>,
        /// Reverse the order
        #[arg(long)]
        desc: bool,
        /// Skip this many members
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Show a member by member number (TNO-0003), id or unique id prefix (8+ characters)
    Show {
        /// Member number, id or unique id prefix
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// Member number, id or unique id prefix
        id: String,
        #[command(flatten)]
        fields: MemberFields,
        /// Keep the new name or prefectures even if another member of the same name (legal form aside) works in the same prefecture
        #[arg(long)]
        allow_duplicate: bool,
    },
    /// Remove a member; one with sites only with --cascade (they are removed too). `kizuna removed restore` brings them back
    Remove {
        /// Member number, id or unique id prefix
        id: String,
        /// Also remove the member's sites (the refusal without it says how many)
        #[arg(long)]
        cascade: bool,
    },
}

#[derive(Args)]
pub struct MemberFields {
    /// Japanese name (required to add)
    #[arg(long)]
    name_ja: Option<String>,
    /// English name (optional: a Japanese-only organisation needs none)
    #[arg(long)]
    name_en: Option<String>,
    /// Kana reading of the Japanese name (hiragana or katakana, no kanji)
    #[arg(long)]
    reading: Option<String>,
    /// npo, general_incorporated, public_interest, social_welfare, voluntary or other
    #[arg(long)]
    legal_form: Option<String>,
    /// Contact person
    #[arg(long)]
    contact: Option<String>,
    /// E-mail address
    #[arg(long)]
    email: Option<String>,
    /// Phone number
    #[arg(long)]
    phone: Option<String>,
    /// Postal address
    #[arg(long)]
    address: Option<String>,
    /// Repeatable: a JIS code, English or Japanese name
    #[arg(long = "prefecture")]
    prefectures: Vec<String>,
    /// active, suspended or withdrawn
    #[arg(long)]
    status: Option<String>,
    /// Day it joined the network, YYYY-MM-DD
    #[arg(long)]
    joined: Option<String>,
    /// Day it left the network, YYYY-MM-DD
    #[arg(long)]
    left: Option<String>,
    /// Free-text notes
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
            allow_duplicate: None,
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
    line("prefectures", Some(&prefecture_names(&m.prefectures)));
    line("status", Some(&m.status));
    line("joined", m.joined_on.map(|d| d.to_string()).as_deref());
    line("left", m.left_on.map(|d| d.to_string()).as_deref());
    line("notes", m.notes.as_deref());
    s.push_str(&format!("  sites           {} ({} active)", m.site_count, m.active_site_count));
    s
}

pub fn run(cmd: MemberCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        MemberCommand::Add { fields, allow_duplicate } => {
            let input = MemberInput { allow_duplicate: Some(allow_duplicate), ..fields.input() };
            let m = k.member_add(&input)?;
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
                            prefecture_names(&m.prefectures),
                            m.site_count
                        )
                    })
                    .collect();
                s.push(format!("{} of {} members", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        MemberCommand::Show { id } => out.emit(&k.member_show(&id)?, describe),
        MemberCommand::Edit { id, fields, allow_duplicate } => {
            let input = MemberInput { allow_duplicate: Some(allow_duplicate), ..fields.input() };
            let m = k.member_edit(&id, &input)?;
            out.emit(&m, describe);
        }
        MemberCommand::Remove { id, cascade } => {
            let r = k.member_remove(&id, cascade)?;
            out.emit(&r, |r| {
                let mut s = format!("Removed member {} {}", r.member_no, r.id);
                if r.sites_removed > 0 {
                    s.push_str(&format!(
                        " and its {} site(s), {} of them active; `kizuna removed list` shows them, `kizuna removed restore ID` brings each back",
                        r.sites_removed, r.active_sites_removed
                    ));
                }
                s
            });
        }
    }
    Ok(())
}
