-- Kizuna schema 10: offices are data. Add-only.
-- HQ adds offices beyond the four of the source document; each has its own
-- member number prefix (KMS-0001), unique in the network. The four seeded
-- offices keep theirs in code (TKY, TNO, FKS, SDI): their seed entries are
-- the same on every replica and are not rewritten.
ALTER TABLE offices ADD COLUMN number_prefix TEXT;
-- How many times HQ has enrolled the office (invites issued): a re-enrolled
-- office numbers its members in a series of its own (TNO2-0001), since its
-- new database starts empty and cannot know the numbers the old one used.
ALTER TABLE offices ADD COLUMN enrolments INTEGER;

-- What the last exchange with each peer carried, for `sync status`: entries
-- sent and received (for a bundle peer, by the last export and import).
ALTER TABLE sync_peers ADD COLUMN last_sent INTEGER;
ALTER TABLE sync_peers ADD COLUMN last_received INTEGER;
