-- Kizuna schema 14: the period narrative of a phase report, with its
-- sign-off. Add-only. One row per phase and reporting period (its id is
-- derived from the three, so two edits of the same period are one row);
-- written by HQ alone (rights in the schema registry). As elsewhere every
-- synced column is nullable because cells arrive independently.
-- `results` is a JSON object keyed by activity id: {"<id>": {"en": …, "ja": …}}.

CREATE TABLE narratives (
    id TEXT PRIMARY KEY,
    phase_id TEXT, period_start TEXT, period_end TEXT,
    results TEXT,
    challenges_en TEXT, challenges_ja TEXT,
    lessons_en TEXT, lessons_ja TEXT,
    next_steps_en TEXT, next_steps_ja TEXT,
    people_reached INTEGER, people_basis_en TEXT, people_basis_ja TEXT,
    prepared_by TEXT, preparer_title_en TEXT, preparer_title_ja TEXT, prepared_on TEXT,
    approved_by TEXT, approver_title_en TEXT, approver_title_ja TEXT, approved_on TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX narratives_phase ON narratives (deleted, phase_id, period_start);
