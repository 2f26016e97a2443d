-- retry: back to pending, not claimable before :runAt; the attempt counts and the error is kept.
-- The jobs trigger sends NOTIFY skucast_jobs at commit.
UPDATE jobs
   SET status = 'pending', error = :error, run_at = :runAt, progress = 0, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
