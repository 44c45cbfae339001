-- Kizuna schema 13: HQ's grant desk. Add-only.
-- A phase's instalment schedule (each tranche: amount, the day it is
-- expected, the day it was received) and its reporting due dates; a
-- variance explanation per budget line; a receipt reference per
-- expenditure. Written by HQ alone, like every grant table (rights in the
-- schema registry). As in schema 1, every synced column is nullable because
-- cells arrive independently.

CREATE TABLE tranches (
    id TEXT PRIMARY KEY,
    phase_id TEXT, seq INTEGER, amount TEXT, currency TEXT,
    expected_on TEXT, received_on TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tranches_phase ON tranches (phase_id);

-- A report the donor expects: for the period it covers, due on a day, and
-- the day it was sent once it was.
CREATE TABLE report_dues (
    id TEXT PRIMARY KEY,
    phase_id TEXT, due_on TEXT, period_start TEXT, period_end TEXT,
    label_en TEXT, label_ja TEXT, submitted_on TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX report_dues_phase ON report_dues (phase_id);

ALTER TABLE budget_lines ADD COLUMN variance_note TEXT;
ALTER TABLE expenditures ADD COLUMN receipt_ref TEXT;
