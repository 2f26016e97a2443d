-- release of a whole claim: the jobs of a claim that committed after its caller stopped
-- (cancellable-statement.ts), handed back as job-release.sql does one, each fenced on its own
-- lease. One statement: one round trip, and all of them or, cancelled, none. Returns the jobs it
-- released, which the worker counts (ClaimRequest.onReleased).
UPDATE jobs AS j
   SET status = 'pending', attempts = greatest(j.attempts - 1, 0), run_at = :now, progress = 0, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
  FROM unnest(:jobIds::bigint[], :leaseTokens::text[]) AS r (id, lease_token)
 WHERE j.id = r.id AND j.lease_token = r.lease_token AND j.status = 'running'
RETURNING j.id;
