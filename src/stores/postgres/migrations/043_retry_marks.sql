-- A dataset's mark moved by an operator's retry (requeue of failed or cancelled jobs). A snapshot is
-- keyed by its dataset's mark (planning-cycle-store.ts): its newest job id, or the value here when
-- higher. A retry puts the same job ids back to pending, so without this the mark did not move:
-- cancel (or a failure) left the queue idle, a snapshot of the partial forecasts was taken, and once
-- the retried jobs completed no new one was due, so "How did we do" scored only part of what was
-- shown. The retry draws the value from the jobs' id sequence (under the enqueue lock, as enqueue
-- draws job ids), so it orders with job ids, the clock marks and actuals' mark_before are read on.
-- One row per dataset (the latest retry's), deleted with it. A table of its own, not a column of
-- `datasets` (read with `*` by older processes; README.md) nor an UPDATE of the dataset's row (the
-- retry holds the enqueue lock, which an append waits for while it holds that row).
CREATE TABLE retry_marks (
  dataset_id text   PRIMARY KEY,
  mark       bigint NOT NULL
);
