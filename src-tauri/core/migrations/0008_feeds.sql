-- Kizuna schema 8: per-origin feeds (signed origins) and request nonces. Add-only.
-- Each office numbers its own change-log entries in a feed: `feed` is the
-- issue time of the enrolment certificate whose key signs them (a new key
-- after re-enrolment starts a new feed), `fseq` the entry's position in it,
-- `chain` SHA-256(previous chain || entry digest). A signed head
-- (sync_heads) binds a feed position to its chain value, so one signature
-- vouches for every entry up to it. Entries written before this migration
-- have no feed yet: the office signs its own on its next export; entries of
-- other offices stay unsigned until their signed copies arrive (see
-- sync::feed). Seed entries never have a feed.
ALTER TABLE change_log ADD COLUMN feed INTEGER;
ALTER TABLE change_log ADD COLUMN fseq INTEGER;
ALTER TABLE change_log ADD COLUMN chain BLOB;
CREATE UNIQUE INDEX change_log_feed ON change_log (origin, feed, fseq) WHERE fseq IS NOT NULL;
CREATE INDEX change_log_unsigned ON change_log (origin) WHERE fseq IS NULL;

-- Signed heads this replica verified (or made, for its own feed): what it
-- relays with the entries, so that every page it sends ends on one.
CREATE TABLE sync_heads (
    origin    TEXT NOT NULL,
    feed      INTEGER NOT NULL,
    fseq      INTEGER NOT NULL,
    chain     BLOB NOT NULL,
    head      TEXT NOT NULL,
    PRIMARY KEY (origin, feed, fseq)
) WITHOUT ROWID;

-- A quarantined change keeps its verified feed position, so that releasing
-- it restores the feed the replica relays.
ALTER TABLE sync_quarantine ADD COLUMN feed INTEGER;
ALTER TABLE sync_quarantine ADD COLUMN fseq INTEGER;
ALTER TABLE sync_quarantine ADD COLUMN chain BLOB;

-- Nonces of signed hub requests, kept for the request window: a request
-- whose nonce is here is a replay.
CREATE TABLE sync_nonces (
    office     TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (office, nonce)
) WITHOUT ROWID;
CREATE INDEX sync_nonces_expiry ON sync_nonces (expires_at);
