-- Kizuna schema 3: a covering index for site search. A search scans every
-- live row's search_key; scanning this narrow index instead of the wide
-- sites table makes a search over 100k sites several times faster.
CREATE INDEX sites_search ON sites (deleted, search_key);
