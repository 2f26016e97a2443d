-- rescue: leases that expired (the worker stopped or lost contact). Back to pending to run again,
-- or failed once the attempts are used up, so a job that kills its worker cannot loop forever.
-- :expiredBefore is :now less the grace Maintenance gives after the database refused writes.
-- A rescued job waits out the retry backoff (min(:backoffMaxMs, :backoffBaseMs * 2^(attempts-1)),
-- equal jitter): a job that kills its worker must not take the next worker down at once, and the
-- next after that. When every attempt ended this way, the failure says so.
UPDATE jobs
   SET status      = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
       error       = CASE WHEN attempts >= max_attempts AND rescues + 1 >= attempts
                          THEN 'every attempt (' || attempts || ' of ' || max_attempts || ') ended with its worker gone '
                               || '(killed, out of memory, or out of contact): the job may be what kills it'
                          WHEN attempts >= max_attempts
                          THEN 'lease expired ' || (rescues + 1) || ' times (attempts exhausted): the worker running it stopped or lost contact'
                          ELSE 'lease expired: the worker running it stopped or lost contact' END,
       finished_at = CASE WHEN attempts >= max_attempts THEN :now ELSE NULL END,
       run_at      = :now + (min(:backoffMaxMs, :backoffBaseMs * (1 << min(max(attempts - 1, 0), 30))) / 2)
                          + abs(random()) % (min(:backoffMaxMs, :backoffBaseMs * (1 << min(max(attempts - 1, 0), 30))) / 2 + 1),
       progress    = CASE WHEN attempts >= max_attempts THEN progress ELSE 0 END,
       rescues     = rescues + 1,
       updated_at  = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE status = 'running' AND lease_expires_at < :expiredBefore
-- worker_id is the worker whose lease expired (rescue leaves it), attempts those used: for the log line.
RETURNING id, status, worker_id, attempts, max_attempts;
