-- summary of a batch whose id range is its own (job-batch-range.sql): counted through the narrow
-- partial indexes, never the finished rows, which carry the results (a finished 50,000-job batch of
-- forecasts read 168 ms a count, bench:batch-summary). The finished by status and id; the running
-- by id, their progress from their few rows. The pending: job-batch-pending-claim.sql or
-- job-batch-pending-rows.sql, whichever reads less (sqlite-job-reads.ts).
SELECT status, count(*) AS n, 0 AS progress_sum
  FROM jobs INDEXED BY jobs_finished_status
 WHERE (status = 'completed' OR status = 'failed' OR status = 'cancelled') AND id BETWEEN :firstId AND :lastId
 GROUP BY status
UNION ALL
SELECT 'running', count(*), coalesce(sum(CAST(round(progress * 100) AS INTEGER)), 0) / 100.0
  FROM jobs INDEXED BY jobs_running
 WHERE status = 'running' AND id BETWEEN :firstId AND :lastId;
