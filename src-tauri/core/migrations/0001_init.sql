-- Kizuna schema 1. Add-only: later versions add files, never edit this one.
-- Domain tables hold the merged state of the change log. Every column but
-- `id` is nullable because cells arrive independently during sync; the core
-- validates before it writes. `deleted` is an ordinary last-writer-wins cell.
-- `search_key` columns are local, derived, and never synced.

CREATE TABLE local_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every cell ever written, in local arrival order (`seq`). A cell's value is
-- the one with the highest (hlc, origin).
CREATE TABLE change_log (
    seq    INTEGER PRIMARY KEY,
    hlc    INTEGER NOT NULL,
    origin TEXT NOT NULL,
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col    TEXT NOT NULL,
    value  ANY
);
CREATE UNIQUE INDEX change_log_cell ON change_log (tbl, row_id, col, hlc, origin);

CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    name_en TEXT, name_ja TEXT, acronym TEXT, founded_year INTEGER,
    affiliation_en TEXT, affiliation_ja TEXT, mission_en TEXT, mission_ja TEXT,
    focus_areas TEXT, past_responses TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE offices (
    id TEXT PRIMARY KEY,
    code TEXT, name_en TEXT, name_ja TEXT, prefecture_code TEXT,
    locality_en TEXT, locality_ja TEXT, is_hq INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    member_no TEXT, name_ja TEXT, name_en TEXT, reading TEXT, legal_form TEXT,
    contact_person TEXT, email TEXT, phone TEXT, address TEXT, prefectures TEXT,
    status TEXT, joined_on TEXT, left_on TEXT, notes TEXT, donor_fund_partner INTEGER,
    office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX members_name ON members (deleted, name_en);

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    member_id TEXT, name TEXT, name_en TEXT, prefecture_code TEXT, municipality TEXT,
    address TEXT, latitude REAL, longitude REAL, sectors TEXT, status TEXT,
    opened_on TEXT, closed_on TEXT, created_on TEXT, notes TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX sites_prefecture ON sites (prefecture_code, deleted, name);
CREATE INDEX sites_member ON sites (member_id);

CREATE TABLE donors (
    id TEXT PRIMARY KEY,
    name_en TEXT, name_ja TEXT, country TEXT, relief_fund_en TEXT, relief_fund_ja TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE grants (
    id TEXT PRIMARY KEY,
    donor_id TEXT, title_en TEXT, title_ja TEXT, currency TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE phases (
    id TEXT PRIMARY KEY,
    grant_id TEXT, seq INTEGER, title_en TEXT, title_ja TEXT,
    start_date TEXT, end_date TEXT, amount TEXT, currency TEXT,
    summary_en TEXT, summary_ja TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name_en TEXT, name_ja TEXT, acronym TEXT, kind TEXT, description_en TEXT, website TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE phase_partners (
    id TEXT PRIMARY KEY,
    phase_id TEXT, partner_id TEXT, role_en TEXT, role_ja TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    phase_id TEXT, seq INTEGER, title_en TEXT, title_ja TEXT, description_en TEXT, description_ja TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

-- A figure a report states: `kind` is 'reported' (value, qualifier, source as
-- published) or 'computed' (`metric` names what the core computes from records).
-- A NULL phase_id is a figure about the relationship as a whole.
CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    phase_id TEXT, seq INTEGER, label_en TEXT, label_ja TEXT, kind TEXT, metric TEXT,
    value TEXT, qualifier TEXT, unit TEXT, source TEXT, as_of TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    phase_id TEXT, seq INTEGER, person TEXT, role_en TEXT, text_en TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE budget_lines (
    id TEXT PRIMARY KEY,
    phase_id TEXT, seq INTEGER, code TEXT, name_en TEXT, name_ja TEXT, amount TEXT, currency TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

-- `rate` converts the expense's currency into the grant's: amount * rate,
-- as recorded on `rate_date`.
CREATE TABLE expenditures (
    id TEXT PRIMARY KEY,
    phase_id TEXT, budget_line_id TEXT, spent_on TEXT, description TEXT,
    amount TEXT, currency TEXT, rate TEXT, rate_date TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
