-- supersede: older pending/running jobs for the same work as a job of this batch give way to it.
-- A running one's worker notices through lost() (its fenced writes now change nothing).
-- (When one batch holds the same work twice, the older row names either newer one: both are newer.)
-- `o.status >= 'pending'` is `IN ('pending', 'running')`: of the five statuses the CHECK admits,
-- the two open ones sort last in the column's BINARY collation (sqlite-store.test.ts holds that
-- against the state machine). As a range it is one seek of jobs_work per batch job, where the IN
-- list was two; the range then steps over the batch job's own entry (and any later copy of the
-- same work in the batch, which `o.id < n.id` then skips). Supersede was a quarter of a 50,000-job
-- enqueue into a dataset with open jobs, nearly all of it seeks that find nothing else.
-- INDEXED BY: with statistics from ANALYZE the planner may walk jobs_dataset_open (every open job
-- of every dataset) and seek the batch from there instead, 70-100 ms for a 10-job batch behind a
-- 200,000-job upload, where these seeks take under a millisecond.
UPDATE jobs AS o INDEXED BY jobs_work
   SET status = 'cancelled', error = 'superseded by job ' || n.id, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM jobs AS n
 WHERE n.id BETWEEN :firstId AND :lastId
   AND o.dataset_ref IS n.dataset_ref AND o.sku = n.sku AND o.model_id = n.model_id AND o.method = n.method
   AND o.status >= 'pending' AND o.id < n.id;
