-- complete: a batch of leases at once (the complete() calls that arrived while the previous batch
-- was being written), each fenced on its own: only a row whose lease is still held changes.
-- The ids returned are the completed ones; a lease not returned was fenced.
UPDATE jobs AS j
   SET status = 'completed', progress = 100, result = c.result::json, error = NULL, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM unnest(:jobIds::bigint[], :leaseTokens::text[], :results::text[]) AS c (id, lease_token, result)
 WHERE j.id = c.id AND j.lease_token = c.lease_token AND j.status = 'running'
RETURNING j.id;
