//! The synced tables and columns this version knows. Everything that names a
//! table or column at run time (the write path, sync, export) checks against
//! this list, so a hostile or unknown name never reaches SQL text.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Real,
}

#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// Synced columns, `id` excluded, `deleted` included.
    pub columns: &'static [(&'static str, Kind)],
    /// Columns folded into the local `search_key`, if the table has one.
    pub search: &'static [&'static str],
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
        ],
        search: &[],
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
    },
    Table {
        name: "grants",
        columns: &[("donor_id", T), ("title_en", T), ("title_ja", T), ("currency", T), ("notes", T), ("deleted", I)],
        search: &[],
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
    },
    Table {
        name: "phase_partners",
        columns: &[("phase_id", T), ("partner_id", T), ("role_en", T), ("role_ja", T), ("deleted", I)],
        search: &[],
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
    },
    Table {
        name: "statements",
        columns: &[("phase_id", T), ("seq", I), ("person", T), ("role_en", T), ("text_en", T), ("deleted", I)],
        search: &[],
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
