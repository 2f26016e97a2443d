-- complete: only for the worker that still holds the lease. 0 rows changed = fenced.
UPDATE jobs
   SET status = 'completed', progress = 100, result = :result::json, error = NULL, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
