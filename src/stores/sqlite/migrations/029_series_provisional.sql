-- Periods whose value actuals summed from part of the period (the current week to date), as a
-- JSON object: the period's date in `dates` -> {from, to, value}, the days the value covers and the value
-- written (a flag holds only while the period's stored value is that one: a process older than
-- 029 writes values without this column; docs/deploy.md). The next
-- file that covers the period whole replaces the value (docs/planning-cycle.md). Existing series
-- have none.
ALTER TABLE series ADD COLUMN provisional TEXT NOT NULL DEFAULT '{}';
