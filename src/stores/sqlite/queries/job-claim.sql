-- claim: the lowest (priority, turn, id) pending jobs whose run_at has come, each with its own lease
-- token: priority first, then datasets take turns (migrations/015_dataset_turns.sql), FIFO within one.
-- LIMIT +:limit, not :limit: SQLite (3.53.2 here) marks a statement with a bare LIMIT parameter to
-- be planned again whenever the parameter is bound anew, every call, triggers included: 245 us a
-- one-job claim instead of 66 (docs/queue-measurements.md, "A bare parameter in LIMIT").
-- RETURNING only the lease: the rows themselves are read after the commit (job-get.sql, by the
-- adapter), so the write lock is not held while 256 rows of 26 columns become JavaScript objects
-- (docs/queue-measurements.md, "The claim's rows, read after its commit").
UPDATE jobs
   SET status = 'running', lease_token = lower(hex(randomblob(16))), lease_expires_at = :leaseExpiresAt,
       attempts = attempts + 1, started_at = :now, updated_at = :now, worker_id = :workerId, progress = 0
 WHERE id IN (SELECT id FROM jobs
               WHERE status = 'pending' AND run_at <= :now
               ORDER BY priority, turn, id
               LIMIT +:limit)
RETURNING id, lease_token;
