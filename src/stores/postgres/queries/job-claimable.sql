-- claimable: is a pending job's run_at due? Through the claim index (run_at rides in it), never
-- the counters.
SELECT 1 AS due FROM jobs WHERE status = 'pending' AND run_at <= :now LIMIT 1;
