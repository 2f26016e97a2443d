-- claim: the lowest (priority, turn, id) pending jobs whose run_at has come, each with its own lease
-- token, in one statement: priority first, then datasets take turns (migrations/010_dataset_turns.sql).
-- SKIP LOCKED: a claimer passes over rows another claimer is taking right now instead of queueing
-- behind it, so concurrent workers never get the same job and never wait.
-- The ids are materialized first (ARRAY(...)) so the locking subquery runs exactly once.
-- Asynchronous commit (for this statement only): the claim does not wait for its WAL to reach the
-- disk. A server crash may forget a claim of the last moment; the job is then pending again and
-- the worker's fenced writes are refused, so at worst it runs twice, never is lost (the SQLite
-- store makes the same trade with synchronous=NORMAL). Results (complete) stay durable.
UPDATE jobs
   SET status = 'running', lease_token = replace(gen_random_uuid()::text, '-', ''), lease_expires_at = :leaseExpiresAt,
       attempts = attempts + 1, started_at = :now, updated_at = :now, worker_id = :workerId, progress = 0
 WHERE id = ANY (ARRAY(SELECT id FROM jobs
                        WHERE status = 'pending' AND run_at <= :now
                        ORDER BY priority, turn, id
                        LIMIT :limit
                          FOR UPDATE SKIP LOCKED))
   AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
RETURNING *;
