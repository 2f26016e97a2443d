-- A dataset's mark moved by an operator's retry (requeue of failed or cancelled jobs). A snapshot is
-- keyed by its dataset's mark (planning-cycle-store.ts): its newest job id, or the value here when
-- higher. A retry puts the same job ids back to pending, so without this the mark did not move:
-- cancel (or a failure) left the queue idle, a snapshot of the partial forecasts was taken, and once
-- the retried jobs completed no new one was due, so "How did we do" scored only part of what was
-- shown. The retry draws the value from the jobs' own AUTOINCREMENT counter (sqlite_sequence, in its
-- transaction), so it orders with job ids, the clock marks and actuals' mark_before are read on, and
-- migrate-store's id counters carry it. One row per dataset (the latest retry's), deleted with it.
CREATE TABLE retry_marks (
  dataset_id TEXT    PRIMARY KEY,
  mark       INTEGER NOT NULL
) WITHOUT ROWID;
