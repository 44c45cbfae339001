-- Kizuna schema 5: the running digest of migration 4 is now kept by the
-- Writer (one UPDATE per transaction, at commit) rather than by a trigger:
-- a trigger makes every change_log insert a multi-row statement, so SQLite
-- journals each one, which roughly doubled the cost of a large merge.
DROP TRIGGER IF EXISTS change_log_digest;
