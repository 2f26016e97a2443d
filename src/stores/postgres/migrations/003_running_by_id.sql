-- The "running first" group of listJobs reads running jobs in id order: keyed by id (with
-- lease_expires_at along for rescue), the partial index serves both. Running jobs are few.
DROP INDEX jobs_running;
CREATE INDEX jobs_running ON jobs (id, lease_expires_at) WHERE status = 'running';

-- summary({batchId}), listJobs({batchId}) and cancel by batch narrow by status as well.
DROP INDEX jobs_batch;
CREATE INDEX jobs_batch ON jobs (batch_id, status);

-- A queue table churns: every job is inserted, updated at least twice, and later pruned. Vacuum
-- and analyze it after 2% of its rows changed (the defaults wait for 20% and 10%), so the dead
-- entries at the head of the claim index and the planner's statistics do not lag behind.
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
                      autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
