-- Kizuna schema 11: what the network does every week. Add-only.
-- Meetings with their attendance and follow-ups; a directory of other
-- organisations and of contacts (personal data); mailing lists; policy
-- advocacy and network memberships. Every office may create and edit them
-- (rights in the schema registry). As in schema 1, every synced column is
-- nullable because cells arrive independently; `search_key` is local.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name_ja TEXT, name_en TEXT, reading TEXT, kind TEXT, prefecture_code TEXT,
    website TEXT, email TEXT, phone TEXT, notes TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX organisations_search ON organisations (deleted, search_key);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    name_ja TEXT, name_en TEXT, reading TEXT, role TEXT, member_id TEXT, organisation_id TEXT,
    email TEXT, phone TEXT, prefecture_code TEXT, notes TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX contacts_search ON contacts (deleted, search_key);
-- The contact list's order, so a page is read without sorting every contact.
CREATE INDEX contacts_order ON contacts (deleted, coalesce(reading, name_ja), id);
CREATE INDEX contacts_member ON contacts (member_id);
CREATE INDEX contacts_organisation ON contacts (organisation_id);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    held_on TEXT, start_time TEXT, office_id TEXT, prefecture_code TEXT, municipality TEXT, venue TEXT,
    kind TEXT, sector TEXT, topic_ja TEXT, topic_en TEXT, minutes_ja TEXT, minutes_en TEXT,
    decisions TEXT, head_count INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);
CREATE INDEX meetings_held ON meetings (deleted, held_on);

-- One row per meeting and attendee, its id derived from the pair, so two
-- offices recording the same attendee make the same row.
CREATE TABLE meeting_attendance (
    id TEXT PRIMARY KEY,
    meeting_id TEXT, member_id TEXT, organisation_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
-- Covering: meeting statistics read attendance from this index alone.
CREATE INDEX meeting_attendance_meeting ON meeting_attendance (meeting_id, deleted, member_id, organisation_id);

CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY,
    meeting_id TEXT, text TEXT, member_id TEXT, office_id TEXT, due_on TEXT, status TEXT, done_on TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX follow_ups_meeting ON follow_ups (meeting_id);

CREATE TABLE mailing_lists (
    id TEXT PRIMARY KEY,
    name_ja TEXT, name_en TEXT, description TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

-- One row per list and contact, its id derived from the pair.
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    list_id TEXT, contact_id TEXT, subscribed_on TEXT, opted_out_on TEXT, bounced INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX subscriptions_list ON subscriptions (list_id, deleted);

CREATE TABLE recommendations (
    id TEXT PRIMARY KEY,
    title_ja TEXT, title_en TEXT, text_ja TEXT, text_en TEXT, addressee_kind TEXT, addressee TEXT,
    drafted_on TEXT, submitted_on TEXT, answered_on TEXT, status TEXT,
    meeting_ids TEXT, member_ids TEXT, outcome TEXT, office_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    search_key TEXT
);

CREATE TABLE network_memberships (
    id TEXT PRIMARY KEY,
    network_ja TEXT, network_en TEXT, role_ja TEXT, role_en TEXT, started_on TEXT, ended_on TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
