-- complete: a group commit's leases in one statement, each fenced on its own: only a row whose
-- lease is still held changes; the ids returned are the completed ones, a lease not returned was
-- fenced. The adapter repeats the VALUES tuple (job id, lease token, result) for up to 256 leases,
-- no job twice in one statement. One statement instead of one per job: the per-row triggers
-- (counts, version, durations) make each statement open a statement journal, and 255 of them
-- cost three times one (docs/queue-measurements.md, "Completes in one statement"). NOT INDEXED: the leases
-- outside, a rowid seek for each inside; with ANALYZE's statistics the planner would otherwise walk
-- jobs_running and scan the leases for every running job. It still scans jobs when the statistics
-- say the table holds a handful of rows: close forgets those (job-statistics-small.sql).
WITH done (id, lease_token, result) AS (VALUES (?, ?, ?))
UPDATE jobs NOT INDEXED
   SET status = 'completed', progress = 100, result = done.result, error = NULL, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM done
 WHERE jobs.id = done.id AND jobs.lease_token = done.lease_token AND jobs.status = 'running'
RETURNING jobs.id;
