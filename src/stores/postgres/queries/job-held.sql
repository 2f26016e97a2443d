-- lost: which of these leases are still held? A lease not returned was cancelled, rescued,
-- superseded or deleted.
SELECT j.id
  FROM jobs AS j JOIN unnest(:jobIds::bigint[], :leaseTokens::text[]) AS l (id, lease_token)
    ON j.id = l.id AND j.lease_token = l.lease_token
 WHERE j.status = 'running';
