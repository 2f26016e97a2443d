-- requeue: an operator's retry of failed/cancelled jobs; attempts start again.
-- A job that a newer job for the same work replaced stays put: running it again would redo stale work.
-- So does a job of a deleted dataset (deleteDataset cancelled it, or it had failed): there is no
-- series left to run it on, and it would only fail again in the worker.
-- Its WHERE clause is also the one of job-requeue-marks.sql, run just before it in the same
-- transaction (sqlite-job-writes.ts): the datasets' marks (retry_marks, 043) move without the
-- requeued rows going to the store.
UPDATE jobs AS j
   SET status = 'pending', attempts = 0, rescues = 0, progress = 0, error = NULL, result = NULL,
       run_at = :now, updated_at = :now, started_at = NULL, finished_at = NULL, worker_id = NULL,
       lease_token = NULL, lease_expires_at = NULL
 WHERE status IN ('failed', 'cancelled') {{filter}}
   AND NOT EXISTS (SELECT 1 FROM jobs AS n
                    WHERE n.dataset_ref IS j.dataset_ref AND n.sku = j.sku AND n.model_id = j.model_id
                      AND n.method = j.method AND n.id > j.id)
   AND (j.dataset_ref IS NULL
        OR EXISTS (SELECT 1 FROM job_datasets AS r JOIN datasets AS d ON d.id = r.dataset_id WHERE r.ref = j.dataset_ref));
