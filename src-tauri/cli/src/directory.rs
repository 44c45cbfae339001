//! `kizuna org ...` and `kizuna contact ...`: the directory beside the member registry.

use clap::{Args, Subcommand};
use kizuna_core::model::directory::{Contact, ContactInput, DirectoryQuery, Organisation, OrganisationInput};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Add an organisation that is not a member (company, government, NGO, ...) (--name-ja is required)
    Add(OrgFields),
    /// Organisations by reading
    List {
        /// Names and readings; kana- and width-insensitive
        #[arg(long)]
        search: Option<String>,
        /// Only organisations of this kind (company, ngo, municipality, ...)
        #[arg(long)]
        kind: Option<String>,
        /// Only organisations in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// Skip this many organisations
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Show an organisation
    Show {
        /// Its id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// Its id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: OrgFields,
    },
    /// Remove an organisation (`kizuna removed restore ID` brings it back)
    Remove {
        /// Its id, or a unique prefix of it
        id: String,
    },
}

#[derive(Args)]
pub struct OrgFields {
    /// Japanese name (required to add)
    #[arg(long)]
    name_ja: Option<String>,
    /// English name
    #[arg(long)]
    name_en: Option<String>,
    /// Kana reading of the Japanese name
    #[arg(long)]
    reading: Option<String>,
    /// company, government_agency, prefecture, municipality, international_ngo, ngo, academic or other
    #[arg(long)]
    kind: Option<String>,
    /// Its prefecture: JIS code, English or Japanese name
    #[arg(long)]
    prefecture: Option<String>,
    /// Web address
    #[arg(long)]
    website: Option<String>,
    /// E-mail address
    #[arg(long)]
    email: Option<String>,
    /// Phone number
    #[arg(long)]
    phone: Option<String>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
}

impl OrgFields {
    fn input(self) -> OrganisationInput {
        OrganisationInput {
            name_ja: self.name_ja,
            name_en: self.name_en,
            reading: self.reading,
            kind: self.kind,
            prefecture: self.prefecture,
            website: self.website,
            email: self.email,
            phone: self.phone,
            notes: self.notes,
        }
    }
}

#[derive(Subcommand)]
pub enum ContactCommand {
    /// Add a contact person, at a member or at an organisation (--name-ja is required)
    Add(ContactFields),
    /// Contacts by reading
    List {
        /// Names, readings, role and email; kana- and width-insensitive
        #[arg(long)]
        search: Option<String>,
        /// Only contacts in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// Contacts of this member (id or number) or organisation (id)
        #[arg(long)]
        of: Option<String>,
        /// Skip this many contacts
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Show a contact
    Show {
        /// Its id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// Its id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Remove a contact (`kizuna removed restore ID` brings it back)
    Remove {
        /// Its id, or a unique prefix of it
        id: String,
    },
}

#[derive(Args)]
pub struct ContactFields {
    /// Name in Japanese (required to add)
    #[arg(long)]
    name_ja: Option<String>,
    /// Name in English
    #[arg(long)]
    name_en: Option<String>,
    /// Kana reading of the Japanese name
    #[arg(long)]
    reading: Option<String>,
    /// Their role or title (e.g. 事務局長)
    #[arg(long)]
    role: Option<String>,
    /// The member the contact works at: id or number (TNO-0001)
    #[arg(long)]
    member: Option<String>,
    /// The organisation the contact works at: its id
    #[arg(long)]
    org: Option<String>,
    /// E-mail address
    #[arg(long)]
    email: Option<String>,
    /// Phone number
    #[arg(long)]
    phone: Option<String>,
    /// Their prefecture: JIS code, English or Japanese name
    #[arg(long)]
    prefecture: Option<String>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
}

impl ContactFields {
    fn input(self) -> ContactInput {
        ContactInput {
            name_ja: self.name_ja,
            name_en: self.name_en,
            reading: self.reading,
            role: self.role,
            member: self.member,
            organisation: self.org,
            email: self.email,
            phone: self.phone,
            prefecture: self.prefecture,
            notes: self.notes,
        }
    }
}

fn names(ja: &str, en: Option<&str>) -> String {
    match en.filter(|e| !e.is_empty()) {
        Some(en) => format!("{ja} / {en}"),
        None => ja.to_string(),
    }
}

/// Labelled lines of the optional fields that are set.
fn fields(s: &mut String, rows: &[(&str, Option<&str>)]) {
    for (k, v) in rows {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push_str(&format!("\n  {k:<15} {v}"));
        }
    }
}

fn describe_org(o: &Organisation) -> String {
    let mut s = format!("{}  {}", o.id, names(&o.name_ja, o.name_en.as_deref()));
    fields(
        &mut s,
        &[
            ("reading", o.reading.as_deref()),
            ("kind", Some(&o.kind)),
            ("prefecture", o.prefecture_code.as_deref()),
            ("website", o.website.as_deref()),
            ("email", o.email.as_deref()),
            ("phone", o.phone.as_deref()),
            ("notes", o.notes.as_deref()),
        ],
    );
    s
}

fn describe_contact(c: &Contact) -> String {
    let mut s = format!("{}  {}", c.id, names(&c.name_ja, c.name_en.as_deref()));
    let at = c.affiliation_ja.as_deref().map(|ja| names(ja, c.affiliation_en.as_deref()));
    fields(
        &mut s,
        &[
            ("reading", c.reading.as_deref()),
            ("role", c.role.as_deref()),
            ("at", at.as_deref()),
            ("email", c.email.as_deref()),
            ("phone", c.phone.as_deref()),
            ("prefecture", c.prefecture_code.as_deref()),
            ("notes", c.notes.as_deref()),
        ],
    );
    s
}

pub fn run_org(cmd: OrgCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        OrgCommand::Add(f) => out.emit(&k.organisation_add(&f.input())?, describe_org),
        OrgCommand::List { search, kind, prefecture, offset, limit } => {
            let q = DirectoryQuery { search, kind, prefecture, of: None, offset: Some(offset), limit: Some(limit) };
            let page = k.organisation_list(&q)?;
            out.emit(&page, |p| {
                let mut s: Vec<String> = p
                    .rows
                    .iter()
                    .map(|o| format!("{}  {}  [{}]", o.id, names(&o.name_ja, o.name_en.as_deref()), o.kind))
                    .collect();
                s.push(format!("{} of {} organisations", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        OrgCommand::Show { id } => out.emit(&k.organisation_show(&id)?, describe_org),
        OrgCommand::Edit { id, fields } => out.emit(&k.organisation_edit(&id, &fields.input())?, describe_org),
        OrgCommand::Remove { id } => {
            k.organisation_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed organisation {id}"));
        }
    }
    Ok(())
}

pub fn run_contact(cmd: ContactCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        ContactCommand::Add(f) => out.emit(&k.contact_add(&f.input())?, describe_contact),
        ContactCommand::List { search, prefecture, of, offset, limit } => {
            let q = DirectoryQuery { search, kind: None, prefecture, of, offset: Some(offset), limit: Some(limit) };
            let page = k.contact_list(&q)?;
            out.emit(&page, |p| {
                let mut s: Vec<String> = p
                    .rows
                    .iter()
                    .map(|c| {
                        format!(
                            "{}  {}  {}  {}",
                            c.id,
                            names(&c.name_ja, c.name_en.as_deref()),
                            c.affiliation_ja.as_deref().unwrap_or("-"),
                            c.email.as_deref().unwrap_or("-")
                        )
                    })
                    .collect();
                s.push(format!("{} of {} contacts", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        ContactCommand::Show { id } => out.emit(&k.contact_show(&id)?, describe_contact),
        ContactCommand::Edit { id, fields } => out.emit(&k.contact_edit(&id, &fields.input())?, describe_contact),
        ContactCommand::Remove { id } => {
            k.contact_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed contact {id}"));
        }
    }
    Ok(())
}
