-- Periods whose value actuals summed from part of the period (the current week to date), as a
-- JSON object: the period's date in `dates` -> {from, to}, the days the value covers (as the
-- SQLite store's 029). The next file that covers the period whole replaces the value
-- (docs/planning-cycle.md). Existing series have none.
ALTER TABLE series ADD COLUMN provisional json NOT NULL DEFAULT '{}'::json;
