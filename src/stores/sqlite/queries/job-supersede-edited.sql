-- supersede (an edit): every pending or running job of an edited SKU, whatever its model and method
-- (the dataset's, or any a POST /api/jobs asked for), was planned from the series before the edit.
-- Runs in updateSeries' transaction before the edit's own jobs are enqueued.
UPDATE jobs
   SET status = 'cancelled', error = :error, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId) AND sku = :sku AND status IN ('pending', 'running');
