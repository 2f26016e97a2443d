-- cancel: pending and running jobs matching the filter. A running one's worker notices via lost(),
-- woken by the NOTIFY skucast_cancel the jobs trigger sends at commit.
-- {{filter}} is replaced by the adapter with AND-ed, parameterised conditions (or nothing).
UPDATE jobs
   SET status = 'cancelled', error = :error, finished_at = :now, updated_at = :now,
       lease_token = NULL, lease_expires_at = NULL
 WHERE status IN ('pending', 'running') {{filter}};
