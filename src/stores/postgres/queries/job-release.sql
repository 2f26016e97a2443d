-- release: graceful shutdown hands the job back at once and gives the attempt back.
-- The jobs trigger sends NOTIFY skucast_jobs at commit.
UPDATE jobs
   SET status = 'pending', attempts = greatest(attempts - 1, 0), run_at = :now, progress = 0, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
