-- Kizuna schema 6. Add-only.
-- The registry shows each member's site and active-site counts. Counting
-- through sites_member read every site row for its deleted and status
-- cells; this index holds them, so a count never leaves the index.
CREATE INDEX sites_member_status ON sites (member_id, deleted, status);
DROP INDEX sites_member;
-- Site search now runs over an in-memory index of the keys (api/site_index),
-- so the covering index of migration 3 only cost every insert its upkeep.
DROP INDEX sites_search;
