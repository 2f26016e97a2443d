-- prune --dry-run (`skucast prune --dry-run`): counts, deleting nothing, what job-prune.sql (by
-- status), worker-forget.sql and idempotency-prune.sql would delete with these bounds, in one
-- statement. A bound NULL counts nothing of its kind. The jobs' WHERE is job-prune.sql's: keep the
-- two in step (the conformance suite compares these counts with what prune then deletes).
WITH jobs_gone AS (
  SELECT j.status FROM jobs AS j
   WHERE j.status IN (SELECT value FROM json_each(:statuses)) AND j.finished_at < :jobsBefore
     AND NOT (j.status = 'completed'
              AND EXISTS (SELECT 1 FROM job_datasets AS r JOIN datasets AS d ON d.id = r.dataset_id WHERE r.ref = j.dataset_ref)
              AND NOT EXISTS (SELECT 1 FROM jobs AS n
                               WHERE n.dataset_ref = j.dataset_ref AND n.sku = j.sku AND n.model_id = j.model_id
                                 AND n.status = 'completed' AND n.id > j.id))
)
SELECT (SELECT count(*) FROM jobs_gone WHERE status = 'completed') AS completed,
       (SELECT count(*) FROM jobs_gone WHERE status = 'failed') AS failed,
       (SELECT count(*) FROM jobs_gone WHERE status = 'cancelled') AS cancelled,
       (SELECT count(*) FROM workers WHERE last_heartbeat_at < :workersBefore) AS workers,
       (SELECT count(*) FROM idempotency_keys WHERE claimed_at < :idempotencyKeysBefore) AS idempotency_keys;
