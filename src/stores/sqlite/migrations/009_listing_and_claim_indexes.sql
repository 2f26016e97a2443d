-- The listing's finished group (newest first), ?status= and ?datasetId= walked the table: ~3 ms
-- per 50,000 jobs, 60 ms a poll at a million. Each now has an index of its own (PostgreSQL has
-- had jobs_finished_id since 001). All three hold finished jobs only, so an enqueue, which
-- inserts pending jobs, pays nothing for them. bench/bench-listing.ts measures the listing.
CREATE INDEX jobs_finished_id ON jobs (id) WHERE status IN ('completed', 'failed', 'cancelled');
-- ?status=failed: the store writes job statuses into the SQL as literals (an enum, checked) so
-- the planner can seek (status, id) and read newest first with no sort.
CREATE INDEX jobs_finished_status ON jobs (status, id) WHERE status IN ('completed', 'failed', 'cancelled');
CREATE INDEX jobs_dataset_finished ON jobs (dataset_id, id) WHERE status IN ('completed', 'failed', 'cancelled');

-- claim: run_at rides in the claim index, so pending jobs waiting out a retry's backoff at the
-- head of the queue are skipped inside the index, without reading their rows. The order stays
-- (priority, id): FIFO within a priority.
DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority, id, run_at) WHERE status = 'pending';
