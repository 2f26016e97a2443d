-- rescue: leases that expired (the worker stopped or lost contact). Back to pending to run again,
-- or failed once the attempts are used up, so a job that kills its worker cannot loop forever.
-- :expiredBefore is the database's time (the store's estimate of it, see postgres-clock.ts) less
-- the grace Maintenance gives after the database refused writes: never one host's clock.
-- A rescued job waits out the retry backoff (least(:backoffMaxMs, :backoffBaseMs * 2^(attempts-1)),
-- equal jitter): a job that kills its worker must not take the next worker down at once. When
-- every attempt ended this way, the failure says so.
-- SKIP LOCKED: a row some worker is writing right now is not expired in any useful sense; the
-- next rescue sees it. The jobs trigger sends NOTIFY skucast_jobs at commit when one went back.
UPDATE jobs
   SET status      = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
       error       = CASE WHEN attempts >= max_attempts AND rescues + 1 >= attempts
                          THEN 'every attempt (' || attempts || ' of ' || max_attempts || ') ended with its worker gone '
                               || '(killed, out of memory, or out of contact): the job may be what kills it'
                          WHEN attempts >= max_attempts
                          THEN 'lease expired ' || (rescues + 1) || ' times (attempts exhausted): the worker running it stopped or lost contact'
                          ELSE 'lease expired: the worker running it stopped or lost contact' END,
       finished_at = CASE WHEN attempts >= max_attempts THEN :now::bigint ELSE NULL END,
       run_at      = :now::bigint + (d.ceiling / 2) + floor(random() * (d.ceiling / 2 + 1))::bigint,
       progress    = CASE WHEN attempts >= max_attempts THEN progress ELSE 0 END,
       rescues     = rescues + 1,
       updated_at  = :now::bigint,
       lease_token = NULL, lease_expires_at = NULL
  FROM (SELECT id AS expired_id,
               least(:backoffMaxMs::bigint, :backoffBaseMs::bigint * (2::bigint ^ least(greatest(attempts - 1, 0), 30))::bigint) AS ceiling
          FROM jobs
         WHERE status = 'running' AND lease_expires_at < :expiredBefore::bigint
           FOR UPDATE SKIP LOCKED) AS d
 WHERE jobs.id = d.expired_id
-- worker_id is the worker whose lease expired (rescue leaves it), attempts those used: for the log line.
RETURNING id, status, worker_id, attempts, max_attempts;
