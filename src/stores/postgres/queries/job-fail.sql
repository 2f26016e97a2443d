-- fail: a final failure (the worker decided no retry is worth it). 0 rows changed = fenced.
UPDATE jobs
   SET status = 'failed', error = :error, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
