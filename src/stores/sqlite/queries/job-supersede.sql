-- supersede: older pending/running jobs for the same work give way to job :newId.
-- A running one's worker notices through lost() (its fenced writes now change nothing).
UPDATE jobs
   SET status = 'cancelled', error = 'superseded by job ' || :newId, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE dataset_id IS :datasetId AND sku = :sku AND model_id = :modelId AND method = :method
   AND status IN ('pending', 'running') AND id < :newId;
