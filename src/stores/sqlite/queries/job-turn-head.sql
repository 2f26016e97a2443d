-- enqueue: the queue's head at a priority (the lowest turn still pending), where a dataset with
-- nothing waiting starts. Reads the first entry of jobs_claim.
SELECT turn FROM jobs WHERE status = 'pending' AND priority = :priority ORDER BY turn LIMIT 1;
