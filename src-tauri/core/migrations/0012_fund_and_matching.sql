-- Kizuna schema 12: the pooled relief fund and donation matching. Add-only.
-- The fund (its donors, gifts, distributions and currency conversions) is
-- written by HQ alone; offers, needs and matches by every office (rights in
-- the schema registry). Fund donors are people and organisations who gave to
-- JANIC's pooled fund; `donors` (schema 1) stays the grant makers.
-- As in schema 1, every synced column is nullable because cells arrive
-- independently; `search_key` is local.

CREATE TABLE fund_donors (
    id TEXT PRIMARY KEY,
    kind TEXT, name_ja TEXT, name_en TEXT, reading TEXT, country TEXT,
    email TEXT, phone TEXT, address TEXT, named_consent INTEGER, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX fund_donors_search ON fund_donors (deleted, search_key);

-- A receipt number is unique and sequential per year (R2011-000001): HQ
-- assigns it, and never reuses the number of a removed gift.
CREATE TABLE gifts (
    id TEXT PRIMARY KEY,
    donor_id TEXT, received_on TEXT, amount TEXT, currency TEXT, channel TEXT,
    receipt_no TEXT, purpose TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX gifts_received ON gifts (deleted, received_on);
CREATE INDEX gifts_donor ON gifts (donor_id);
CREATE INDEX gifts_receipt ON gifts (receipt_no);

-- A distribution's split is derived from what it stores, never stored part
-- by part: `member_order` lists the members in the order its rule gave, and
-- the first `remainder` of them receive one more minor unit than the rest.
CREATE TABLE distributions (
    id TEXT PRIMARY KEY,
    distributed_on TEXT, amount TEXT, currency TEXT, rule TEXT, cursor INTEGER,
    member_order TEXT, remainder INTEGER, eligible_on TEXT, prefectures TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX distributions_on ON distributions (deleted, distributed_on);

CREATE TABLE fund_conversions (
    id TEXT PRIMARY KEY,
    converted_on TEXT, from_amount TEXT, from_currency TEXT, to_amount TEXT, to_currency TEXT,
    rate TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    source_kind TEXT, member_id TEXT, organisation_id TEXT, donor_id TEXT, source_name TEXT,
    category TEXT, description TEXT, quantity INTEGER, unit TEXT,
    prefecture_code TEXT, municipality TEXT, latitude REAL, longitude REAL,
    offered_on TEXT, available_until TEXT, conditions TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX offers_category ON offers (deleted, category);

CREATE TABLE needs (
    id TEXT PRIMARY KEY,
    member_id TEXT, site_id TEXT, category TEXT, description TEXT, quantity INTEGER, unit TEXT,
    urgency TEXT, prefecture_code TEXT, municipality TEXT, latitude REAL, longitude REAL,
    raised_on TEXT, needed_by TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX needs_category ON needs (deleted, category);

-- Each match is its own row (a fresh id, never derived from the pair), so
-- two offices matching the same offer offline both keep theirs, and an
-- over-commitment shows after sync instead of being lost. Who acted at each
-- step is the office that did.
CREATE TABLE matches (
    id TEXT PRIMARY KEY,
    offer_id TEXT, need_id TEXT, quantity INTEGER, status TEXT,
    proposed_on TEXT, proposed_by TEXT, accepted_on TEXT, accepted_by TEXT,
    delivered_on TEXT, delivered_by TEXT, delivered_quantity INTEGER,
    closed_on TEXT, closed_by TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX matches_offer ON matches (offer_id, deleted);
CREATE INDEX matches_need ON matches (need_id, deleted);
