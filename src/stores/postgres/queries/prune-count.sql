-- prune --dry-run (`skucast prune --dry-run`): counts, deleting nothing, what job-prune.sql (by
-- status), worker-forget.sql and idempotency-prune.sql would delete with these bounds, in one
-- snapshot. A bound NULL counts nothing of its kind. The jobs' WHERE is job-prune.sql's: keep the
-- two in step (the conformance suite compares these counts with what prune then deletes).
WITH jobs_gone AS (
  SELECT j.status FROM jobs AS j
   WHERE j.status = ANY (:statuses::text[]) AND j.finished_at < :jobsBefore::bigint
     AND NOT (j.status = 'completed'
              AND EXISTS (SELECT 1 FROM datasets AS d WHERE d.id = j.dataset_id)
              AND NOT EXISTS (SELECT 1 FROM jobs AS n
                               WHERE n.dataset_id = j.dataset_id AND n.sku = j.sku AND n.model_id = j.model_id
                                 AND n.status = 'completed' AND n.id > j.id))
)
SELECT (SELECT count(*) FROM jobs_gone WHERE status = 'completed')::int AS completed,
       (SELECT count(*) FROM jobs_gone WHERE status = 'failed')::int AS failed,
       (SELECT count(*) FROM jobs_gone WHERE status = 'cancelled')::int AS cancelled,
       (SELECT count(*) FROM workers WHERE last_heartbeat_at < :workersBefore::bigint)::int AS workers,
       (SELECT count(*) FROM idempotency_keys WHERE claimed_at < :idempotencyKeysBefore::bigint)::int AS idempotency_keys;
