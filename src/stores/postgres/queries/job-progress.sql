-- progress: only the worker holding the lease may report. 0 rows changed = fenced.
-- Asynchronous commit: a progress figure a server crash forgets is only a figure (see job-claim.sql).
UPDATE jobs SET progress = :progress, updated_at = :now
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running'
   AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off';
