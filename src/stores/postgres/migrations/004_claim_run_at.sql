-- claim: run_at rides in the claim index (INCLUDE: the order stays (priority, id), FIFO within a
-- priority), so pending jobs waiting out a retry's backoff at the head of the queue are skipped
-- inside the index (an index-only check, no heap fetch) instead of each costing a row read.
DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority, id) INCLUDE (run_at) WHERE status = 'pending';
