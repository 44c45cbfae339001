-- Kizuna schema 9: entries a replica would not merge. Not synced: each
-- replica records what it refused or holds (see sync::rights).

-- Entries outside their origin's rights, or with a cell that breaks its
-- column's rule: never applied, never logged, never relayed.
CREATE TABLE IF NOT EXISTS sync_refused (
    hlc         INTEGER NOT NULL,
    origin      TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    cells       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    via         TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id, hlc, origin)
);

-- Mass deletes of other offices' rows, held for HQ to approve or reject.
CREATE TABLE IF NOT EXISTS sync_held (
    batch       INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    origin      TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    cells       TEXT NOT NULL,
    via         TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id, hlc, origin)
);
CREATE INDEX IF NOT EXISTS sync_held_batch ON sync_held (batch);
