-- enqueue: the queue's head at a priority, where a dataset with nothing waiting starts: the turn
-- claim is at (the lowest turn of a job that may run now), else the lowest turn still pending. Not
-- a job waiting out a retry backoff: it keeps its early turn, and a dataset starting there would
-- take every turn between it and the head before the datasets already running get one.
-- Both read the first entries of jobs_claim (run_at is in the index).
SELECT coalesce(
         (SELECT turn FROM jobs WHERE status = 'pending' AND priority = :priority AND run_at <= :now ORDER BY turn LIMIT 1),
         (SELECT turn FROM jobs WHERE status = 'pending' AND priority = :priority ORDER BY turn LIMIT 1)
       ) AS turn;
