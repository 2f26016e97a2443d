-- renew: extend the leases the caller still holds, all in one statement. Leases not returned are lost.
-- Asynchronous commit: a renewal a server crash forgets only shortens a lease (see job-claim.sql).
UPDATE jobs AS j SET lease_expires_at = :leaseExpiresAt
  FROM unnest(:jobIds::bigint[], :leaseTokens::text[]) AS l (id, lease_token)
 WHERE j.id = l.id AND j.lease_token = l.lease_token AND j.status = 'running'
   AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
RETURNING j.id;
