-- Kizuna schema 7: the change log holds one entry per (write, row) instead
-- of one row per cell. Add-only.
-- A write stamps all its cells with one HLC, so logging each cell repeated
-- the stamp, origin, table and row id up to fifteen times and indexed every
-- copy: inserting 100k sites wrote 1.1M log rows, 180 MB of a 250 MB file.
-- `cells` is a JSON object {column: value}: JSON keeps each value's type
-- (the text '03' stays text, integers and reals stay numbers, NULL is null).
-- The merge rule is unchanged and per cell: a cell's value is the one with
-- the highest (hlc, origin) among the entries that carry that column.
DROP TABLE IF EXISTS change_log_entries;
CREATE TABLE change_log_entries (
    seq    INTEGER PRIMARY KEY,
    hlc    INTEGER NOT NULL,
    origin TEXT NOT NULL,
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    cells  TEXT NOT NULL
);
-- An entry takes the highest seq of the cells it groups: a peer's "sent up
-- to" marker (sync_peers, local_meta.sent_seq) that lies inside a group then
-- lies before the entry, which is sent again whole (duplicates are harmless),
-- so no cell is ever skipped. Reals are written with 17 significant digits,
-- which read back as the same double (json_group_object would round to 15).
INSERT INTO change_log_entries (seq, hlc, origin, tbl, row_id, cells)
    SELECT max(seq), hlc, origin, tbl, row_id,
           json_group_object(col, CASE typeof(value)
               WHEN 'real' THEN json(printf('%!.17g', value))
               WHEN 'blob' THEN CAST(value AS TEXT)
               ELSE value END)
    FROM change_log
    GROUP BY tbl, row_id, hlc, origin;
CREATE UNIQUE INDEX change_log_entry ON change_log_entries (tbl, row_id, hlc, origin);

-- Parked cells become parked entries (the entry that now holds the cell).
DROP TABLE IF EXISTS sync_parked_v6;
CREATE TABLE sync_parked_v6 (seq INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO sync_parked_v6 (seq)
    SELECT e.seq
    FROM sync_parked p
    JOIN change_log c ON c.seq = p.seq
    JOIN change_log_entries e ON e.tbl = c.tbl AND e.row_id = c.row_id AND e.hlc = c.hlc AND e.origin = c.origin;
DELETE FROM sync_parked;
INSERT INTO sync_parked (seq) SELECT seq FROM sync_parked_v6;
DROP TABLE sync_parked_v6;

DROP TABLE change_log;
ALTER TABLE change_log_entries RENAME TO change_log;

-- The running digest (migrations 4 and 5) now has one term per entry, the
-- sum of a key part and one part per cell, so it does not depend on the
-- order of the cells in the JSON text: two replicas holding the same
-- entries have the same digest. `sync::hub::scan_digest` is this query and
-- `store::write::entry_term` computes the same term in the writer.
-- A real counts by its integer part: SQLite and Rust render reals as text
-- differently, and the digest only has to tell replicas apart.
INSERT OR REPLACE INTO sync_log_digest (id, count, checksum)
    SELECT 1, count(*), coalesce(sum(
        (e.hlc % 1000000007) * 3 + length(e.row_id) * 31 + unicode(e.origin) * 7 + length(e.tbl)
        + (SELECT coalesce(sum(length(j.key) * 17 + CASE j.type
                                   WHEN 'null' THEN 0
                                   WHEN 'real' THEN length(CAST(CAST(j.value AS INTEGER) AS TEXT))
                                   ELSE length(j.value) END), 0)
           FROM json_each(e.cells) j)), 0)
    FROM change_log e;
