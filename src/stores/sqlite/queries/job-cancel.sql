-- cancel: pending and running jobs matching the filter. A running one's worker notices via lost().
-- The filter placeholder (in double braces) is replaced by the adapter with AND-ed, parameterised conditions (or nothing).
UPDATE jobs
   SET status = 'cancelled', error = :error, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE status IN ('pending', 'running') {{filter}};
