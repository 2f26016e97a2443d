-- requeue: an operator's retry of failed/cancelled jobs; attempts start again.
-- A job that a newer job for the same work replaced stays put: running it again would redo stale work.
-- So does a job of a deleted dataset (deleteDataset cancelled it, or it had failed): there is no
-- series left to run it on, and it would only fail again in the worker. The dataset's row is
-- locked (KEY SHARE) while its jobs are requeued: a deleteDataset in flight (which locks the row
-- FOR UPDATE, then cancels its pending jobs) either waits and cancels the requeued jobs, or comes
-- first and leaves no row to find.
-- The same statement moves the marks (retry_marks, 043) of the datasets whose jobs went back to
-- pending: one value of the job id sequence for the retry, drawn only when it requeued a job of a
-- dataset, under the enqueue lock the store takes first (job-enqueue-lock.sql), as enqueue draws job
-- ids. A snapshot is then due again once those jobs settle (snapshots.ts). Returns one row, the
-- number of jobs requeued: the requeued rows stay in the server (a retry of 100,000 jobs sent them
-- all to the store, under the lock every enqueue waits on, only to find their few datasets).
-- The newer job is looked for with `=` (and IS NULL for jobs of no dataset, asked only for them:
-- written as a filter inside the subquery it was a second seek for every job), not IS NOT DISTINCT
-- FROM, which no index takes: a seek in jobs_work per job. Under statistics that counted none of
-- the jobs to requeue (a cancel since the last ANALYZE) the planner otherwise walked jobs_pkey
-- past every newer job, for each job: 50,000 cancelled jobs were not requeued in 7 minutes.
WITH requeued AS (
UPDATE jobs AS j
   SET status = 'pending', attempts = 0, rescues = 0, progress = 0, error = NULL, result = NULL,
       run_at = :now, updated_at = :now, started_at = NULL, finished_at = NULL, worker_id = NULL,
       lease_token = NULL, lease_expires_at = NULL
 WHERE status IN ('failed', 'cancelled') {{filter}}
   AND NOT EXISTS (SELECT 1 FROM jobs AS n
                    WHERE n.dataset_id = j.dataset_id AND n.sku = j.sku AND n.model_id = j.model_id
                      AND n.method = j.method AND n.id > j.id)
   AND (j.dataset_id IS NOT NULL
        OR NOT EXISTS (SELECT 1 FROM jobs AS n
                        WHERE n.dataset_id IS NULL AND n.sku = j.sku AND n.model_id = j.model_id
                          AND n.method = j.method AND n.id > j.id))
   AND (j.dataset_id IS NULL OR EXISTS (SELECT 1 FROM datasets AS d WHERE d.id = j.dataset_id FOR KEY SHARE))
RETURNING j.dataset_id
), drawn AS (
  -- not inlined (nextval is volatile): drawn once, and not at all when no dataset's job was requeued
  SELECT nextval(pg_get_serial_sequence('jobs', 'id')) AS mark
   WHERE EXISTS (SELECT 1 FROM requeued WHERE dataset_id IS NOT NULL)
), marked AS (
  INSERT INTO retry_marks (dataset_id, mark)
  SELECT d.dataset_id, m.mark
    FROM (SELECT DISTINCT dataset_id FROM requeued WHERE dataset_id IS NOT NULL) AS d, drawn AS m
      ON CONFLICT (dataset_id) DO UPDATE SET mark = greatest(retry_marks.mark, excluded.mark)
)
SELECT count(*)::int AS requeued FROM requeued;
