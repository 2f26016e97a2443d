-- progress: only the worker holding the lease may report. 0 rows changed = fenced.
UPDATE jobs SET progress = :progress, updated_at = :now
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
