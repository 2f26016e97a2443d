-- renew: extend a lease the caller still holds. 0 rows changed = fenced (lost).
UPDATE jobs SET lease_expires_at = :leaseExpiresAt
 WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
