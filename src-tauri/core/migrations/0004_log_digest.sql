-- Kizuna schema 4: a running digest of change_log. Add-only.
-- Every sync ends by comparing both sides' digests; computing it by scanning
-- the whole log cost a second per 100k rows on each side. The trigger keeps
-- it current in the same transaction as each logged change, whichever code
-- path inserts it (change_log is append-only: nothing deletes from it).
-- The per-row term is exactly the one the scan summed; sum() skipped rows
-- whose term was NULL (a NULL value), so those add 0 here.
-- A later migration that rebuilds change_log must recreate this trigger.
CREATE TABLE sync_log_digest (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    count    INTEGER NOT NULL,
    checksum INTEGER NOT NULL
);
INSERT INTO sync_log_digest (id, count, checksum)
    SELECT 1, count(*), coalesce(sum((hlc % 1000000007) * 3 + length(row_id) * 31 + length(col) * 17
               + unicode(origin) * 7 + length(tbl) + length(CAST(value AS TEXT))), 0)
    FROM change_log;
CREATE TRIGGER change_log_digest AFTER INSERT ON change_log
BEGIN
    UPDATE sync_log_digest
    SET count = count + 1,
        checksum = checksum + coalesce((NEW.hlc % 1000000007) * 3 + length(NEW.row_id) * 31 + length(NEW.col) * 17
               + unicode(NEW.origin) * 7 + length(NEW.tbl) + length(CAST(NEW.value AS TEXT)), 0)
    WHERE id = 1;
END;
