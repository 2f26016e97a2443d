-- supersede: older pending/running jobs for the same work as a job of this batch give way to it.
-- A running one's worker notices through lost() (its fenced writes now change nothing).
-- (When one batch holds the same work twice, the older row names either newer one: both are newer.)
-- `o.status >= 'pending'` is `IN ('pending', 'running')`: of the five statuses the CHECK admits,
-- the two open ones sort last (sqlite-store.test.ts holds that). As a range it is one seek of
-- jobs_work per batch job, where the IN list was two (one per status): most seeks find nothing
-- (a batch of new work), and they were a quarter of a 50,000-job enqueue into an open dataset.
UPDATE jobs AS o
   SET status = 'cancelled', error = 'superseded by job ' || n.id, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM jobs AS n
 WHERE n.id BETWEEN :firstId AND :lastId
   AND o.dataset_id IS n.dataset_id AND o.sku = n.sku AND o.model_id = n.model_id AND o.method = n.method
   AND o.status >= 'pending' AND o.id < n.id;
