-- Kizuna schema 2: sync state. Add-only. None of these tables is exported
-- or synced: they describe this replica's view of the network.

-- Offices this replica accepts changes from: each with its Ed25519 public key
-- and the enrolment certificate HQ's key signed (JSON, as exchanged).
CREATE TABLE sync_offices (
    code       TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    cert       TEXT NOT NULL,
    issued_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- "Seen up to" markers per peer (an office for bundles, a hub URL for HTTP).
-- sent_upto is a position in this replica's change_log, received_upto one in
-- the peer's. Markers are written in the same transaction as the batch they
-- describe, so they never run ahead of what committed.
CREATE TABLE sync_peers (
    peer          TEXT PRIMARY KEY,
    sent_upto     INTEGER NOT NULL DEFAULT 0,
    received_upto INTEGER NOT NULL DEFAULT 0,
    last_sync_at  INTEGER
) WITHOUT ROWID;

-- Changes stamped too far in the future: held here, not applied and not
-- relayed, until the local clock catches up or someone discards them.
CREATE TABLE sync_quarantine (
    hlc         INTEGER NOT NULL,
    origin      TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    col         TEXT NOT NULL,
    value       ANY,
    received_at INTEGER NOT NULL,
    via         TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, col, hlc, origin)
);

-- Change-log entries for tables or columns this version does not know. They
-- stay in change_log (and are relayed like any other change); this index says
-- which ones still have to be materialised once an upgrade knows their names.
CREATE TABLE sync_parked (
    seq INTEGER PRIMARY KEY
);

-- 0001 declared change_log.value as ANY, which outside STRICT tables means
-- NUMERIC affinity: the text '03' (a prefecture code) was logged as the
-- integer 3, so the log no longer matched the table it describes and a
-- replica rebuilt from it would differ. An untyped column keeps every value
-- exactly as written. Rebuilt here (seq preserved) before any sync uses it.
CREATE TABLE change_log_v2 (
    seq    INTEGER PRIMARY KEY,
    hlc    INTEGER NOT NULL,
    origin TEXT NOT NULL,
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col    TEXT NOT NULL,
    value
);
INSERT INTO change_log_v2 (seq, hlc, origin, tbl, row_id, col, value)
    SELECT seq, hlc, origin, tbl, row_id, col, value FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_v2 RENAME TO change_log;
CREATE UNIQUE INDEX change_log_cell ON change_log (tbl, row_id, col, hlc, origin);
