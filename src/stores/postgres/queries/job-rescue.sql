-- rescue: leases that expired (the worker stopped or lost contact). Back to pending to run again,
-- or failed once the attempts are used up, so a job that kills its worker cannot loop forever.
-- SKIP LOCKED: a row some worker is writing right now is not expired in any useful sense; the
-- next rescue sees it. The jobs trigger sends NOTIFY skucast_jobs at commit when one went back.
UPDATE jobs
   SET status      = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
       error       = CASE WHEN attempts >= max_attempts
                          THEN 'lease expired ' || (rescues + 1) || ' times (attempts exhausted): the worker running it stopped or lost contact'
                          ELSE 'lease expired: the worker running it stopped or lost contact' END,
       finished_at = CASE WHEN attempts >= max_attempts THEN :now ELSE NULL END,
       run_at      = :now,
       progress    = CASE WHEN attempts >= max_attempts THEN progress ELSE 0 END,
       rescues     = rescues + 1,
       updated_at  = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE id = ANY (ARRAY(SELECT id FROM jobs
                        WHERE status = 'running' AND lease_expires_at < :now - :graceMs::bigint
                          FOR UPDATE SKIP LOCKED))
RETURNING id, status;
