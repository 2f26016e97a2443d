-- The "running first" group of listJobs reads running jobs in id order: with the index keyed by
-- lease_expires_at SQLite walked the whole table by rowid instead (150 ms at 400,000 jobs).
-- Keyed by id, with lease_expires_at along for rescue. Running jobs are few: the index is tiny.
DROP INDEX jobs_running;
CREATE INDEX jobs_running ON jobs (id, lease_expires_at) WHERE status = 'running';

-- summary({batchId}) and cancel by batch count by status: carry status in the batch index.
DROP INDEX jobs_batch;
CREATE INDEX jobs_batch ON jobs (batch_id, status);
