//! The synced tables and columns this version knows. Everything that names a
//! table or column at run time (the write path, sync, export) checks against
//! this list, so a hostile or unknown name never reaches SQL text. Beside the
//! columns each table declares who may write it ([`Rights`], enforced by
//! `sync::rights`) and the domain rule of its cells ([`Rule`], checked by
//! `model::rules` on local writes and on merge alike).

use crate::model::member::{LEGAL_FORMS, STATUSES as MEMBER_STATUSES};
pub use crate::model::rules::Rule;
use crate::model::site::{SECTORS, SITE_STATUSES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Real,
}

/// Which offices may create, edit and delete a table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rights {
    /// HQ alone (and the embedded seed data set): the organisation, grants
    /// and every money or donor table.
    HqOnly,
    /// Every enrolled office: the coordination records.
    Shared,
}

#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// Synced columns, `id` excluded, `deleted` included.
    pub columns: &'static [(&'static str, Kind)],
    /// Columns folded into the local `search_key`, if the table has one.
    pub search: &'static [&'static str],
    pub rights: Rights,
    /// Domain rules of columns; a text column not listed is free text of at
    /// most `model::text::MAX_TEXT` characters.
    pub rules: &'static [(&'static str, Rule)],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<(&'static str, Kind)> {
        self.index(name).map(|i| self.columns[i])
    }

    /// The column's position in [`Table::columns`].
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(c, _)| *c == name)
    }
}

use Kind::{Integer as I, Real as R, Text as T};
use Rights::{HqOnly, Shared};

pub const TABLES: &[Table] = &[
    Table {
        name: "profiles",
        columns: &[
            ("name_en", T),
            ("name_ja", T),
            ("acronym", T),
            ("founded_year", I),
            ("affiliation_en", T),
            ("affiliation_ja", T),
            ("mission_en", T),
            ("mission_ja", T),
            ("focus_areas", T),
            ("past_responses", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("name_en", Rule::Name),
            ("name_ja", Rule::Name),
            ("acronym", Rule::Name),
            ("founded_year", Rule::Year),
            ("affiliation_en", Rule::Name),
            ("affiliation_ja", Rule::Name),
            ("focus_areas", Rule::Json),
            ("past_responses", Rule::Json),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "offices",
        columns: &[
            ("code", T),
            ("name_en", T),
            ("name_ja", T),
            ("prefecture_code", T),
            ("locality_en", T),
            ("locality_ja", T),
            ("is_hq", I),
            ("deleted", I),
            ("number_prefix", T),
            ("enrolments", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("code", Rule::OfficeCode),
            ("number_prefix", Rule::NumberPrefix),
            ("enrolments", Rule::Count),
            ("name_en", Rule::Name),
            ("name_ja", Rule::Name),
            ("prefecture_code", Rule::Prefecture),
            ("locality_en", Rule::Name),
            ("locality_ja", Rule::Name),
            ("is_hq", Rule::Flag),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "members",
        columns: &[
            ("member_no", T),
            ("name_ja", T),
            ("name_en", T),
            ("reading", T),
            ("legal_form", T),
            ("contact_person", T),
            ("email", T),
            ("phone", T),
            ("address", T),
            ("prefectures", T),
            ("status", T),
            ("joined_on", T),
            ("left_on", T),
            ("notes", T),
            ("donor_fund_partner", I),
            ("office_id", T),
            ("deleted", I),
        ],
        search: &["member_no", "name_ja", "name_en", "reading", "contact_person", "email"],
        rights: Shared,
        rules: &[
            ("member_no", Rule::Name),
            ("name_ja", Rule::Name),
            ("name_en", Rule::Name),
            ("reading", Rule::Name),
            ("legal_form", Rule::Code(&LEGAL_FORMS)),
            ("contact_person", Rule::Name),
            ("email", Rule::Email),
            ("phone", Rule::Phone),
            ("address", Rule::Text(500)),
            ("prefectures", Rule::Prefectures),
            ("status", Rule::Code(&MEMBER_STATUSES)),
            ("joined_on", Rule::Day),
            ("left_on", Rule::Day),
            ("donor_fund_partner", Rule::Flag),
            ("office_id", Rule::Name),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "sites",
        columns: &[
            ("member_id", T),
            ("name", T),
            ("name_en", T),
            ("prefecture_code", T),
            ("municipality", T),
            ("address", T),
            ("latitude", R),
            ("longitude", R),
            ("sectors", T),
            ("status", T),
            ("opened_on", T),
            ("closed_on", T),
            ("created_on", T),
            ("notes", T),
            ("office_id", T),
            ("deleted", I),
        ],
        search: &["name", "name_en", "municipality", "address"],
        rights: Shared,
        rules: &[
            ("member_id", Rule::Name),
            ("name", Rule::Name),
            ("name_en", Rule::Name),
            ("prefecture_code", Rule::Prefecture),
            ("municipality", Rule::Name),
            ("address", Rule::Text(500)),
            ("latitude", Rule::Latitude),
            ("longitude", Rule::Longitude),
            ("sectors", Rule::CodeList(&SECTORS)),
            ("status", Rule::Code(&SITE_STATUSES)),
            ("opened_on", Rule::Day),
            ("closed_on", Rule::Day),
            ("created_on", Rule::Day),
            ("office_id", Rule::Name),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "donors",
        columns: &[
            ("name_en", T),
            ("name_ja", T),
            ("country", T),
            ("relief_fund_en", T),
            ("relief_fund_ja", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("name_en", Rule::Name),
            ("name_ja", Rule::Name),
            ("country", Rule::Name),
            ("relief_fund_en", Rule::Name),
            ("relief_fund_ja", Rule::Name),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "grants",
        columns: &[("donor_id", T), ("title_en", T), ("title_ja", T), ("currency", T), ("notes", T), ("deleted", I)],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("donor_id", Rule::Name),
            ("title_en", Rule::Name),
            ("title_ja", Rule::Name),
            ("currency", Rule::Currency),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "phases",
        columns: &[
            ("grant_id", T),
            ("seq", I),
            ("title_en", T),
            ("title_ja", T),
            ("start_date", T),
            ("end_date", T),
            ("amount", T),
            ("currency", T),
            ("summary_en", T),
            ("summary_ja", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("grant_id", Rule::Name),
            ("title_en", Rule::Name),
            ("title_ja", Rule::Name),
            ("start_date", Rule::ProjectDate),
            ("end_date", Rule::ProjectDate),
            ("amount", Rule::Amount),
            ("currency", Rule::Currency),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "partners",
        columns: &[
            ("name_en", T),
            ("name_ja", T),
            ("acronym", T),
            ("kind", T),
            ("description_en", T),
            ("website", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("name_en", Rule::Name),
            ("name_ja", Rule::Name),
            ("acronym", Rule::Name),
            ("kind", Rule::Name),
            ("website", Rule::Text(500)),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "phase_partners",
        columns: &[("phase_id", T), ("partner_id", T), ("role_en", T), ("role_ja", T), ("deleted", I)],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("phase_id", Rule::Name),
            ("partner_id", Rule::Name),
            ("role_en", Rule::Name),
            ("role_ja", Rule::Name),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "activities",
        columns: &[
            ("phase_id", T),
            ("seq", I),
            ("title_en", T),
            ("title_ja", T),
            ("description_en", T),
            ("description_ja", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[("phase_id", Rule::Name), ("title_en", Rule::Name), ("title_ja", Rule::Name), ("deleted", Rule::Flag)],
    },
    Table {
        name: "indicators",
        columns: &[
            ("phase_id", T),
            ("seq", I),
            ("label_en", T),
            ("label_ja", T),
            ("kind", T),
            ("metric", T),
            ("value", T),
            ("qualifier", T),
            ("unit", T),
            ("source", T),
            ("as_of", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("phase_id", Rule::Name),
            ("label_en", Rule::Name),
            ("label_ja", Rule::Name),
            ("kind", Rule::Name),
            ("metric", Rule::Name),
            ("value", Rule::Name),
            ("qualifier", Rule::Name),
            ("unit", Rule::Name),
            ("source", Rule::Text(500)),
            ("as_of", Rule::ProjectDate),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "statements",
        columns: &[("phase_id", T), ("seq", I), ("person", T), ("role_en", T), ("text_en", T), ("deleted", I)],
        search: &[],
        rights: HqOnly,
        rules: &[("phase_id", Rule::Name), ("person", Rule::Name), ("role_en", Rule::Name), ("deleted", Rule::Flag)],
    },
    Table {
        name: "budget_lines",
        columns: &[
            ("phase_id", T),
            ("seq", I),
            ("code", T),
            ("name_en", T),
            ("name_ja", T),
            ("amount", T),
            ("currency", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("phase_id", Rule::Name),
            ("code", Rule::Name),
            ("name_en", Rule::Name),
            ("name_ja", Rule::Name),
            ("amount", Rule::Amount),
            ("currency", Rule::Currency),
            ("deleted", Rule::Flag),
        ],
    },
    Table {
        name: "expenditures",
        columns: &[
            ("phase_id", T),
            ("budget_line_id", T),
            ("spent_on", T),
            ("description", T),
            ("amount", T),
            ("currency", T),
            ("rate", T),
            ("rate_date", T),
            ("deleted", I),
        ],
        search: &[],
        rights: HqOnly,
        rules: &[
            ("phase_id", Rule::Name),
            ("budget_line_id", Rule::Name),
            ("spent_on", Rule::Day),
            ("description", Rule::Text(10_000)),
            ("amount", Rule::Amount),
            ("currency", Rule::Currency),
            ("rate", Rule::Rate),
            ("rate_date", Rule::Day),
            ("deleted", Rule::Flag),
        ],
    },
];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// The singular noun errors use for a table's rows.
pub fn entity_name(table: &str) -> &'static str {
    match table {
        "members" => "member",
        "sites" => "site",
        "offices" => "office",
        "grants" => "grant",
        "phases" => "phase",
        "donors" => "donor",
        "partners" => "partner",
        "activities" => "activity",
        "indicators" => "indicator",
        "budget_lines" => "budget line",
        "expenditures" => "expenditure",
        "profiles" => "profile",
        "statements" => "statement",
        "phase_partners" => "phase partner",
        _ => "record",
    }
}
