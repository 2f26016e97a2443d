-- enqueue: for each (dataset, priority) group of a batch, its first turn: after the dataset's last
-- one when that job still waits, else the queue's head at that priority: the turn claim is at (the
-- lowest turn of a job that may run now; not one waiting out a retry backoff, which keeps its early
-- turn: a dataset starting there would take every turn up to the head before the others get one),
-- else the lowest turn still pending, else 0. Index seeks in jobs_claim (run_at is INCLUDEd); a
-- batch usually has one or two groups.
SELECT g.dataset_key, g.priority,
       CASE WHEN EXISTS (SELECT 1 FROM jobs AS w
                          WHERE w.status = 'pending' AND w.priority = g.priority AND w.turn = t.last_turn
                            AND coalesce(w.dataset_id, '') = g.dataset_key)
            THEN t.last_turn + 1
            ELSE coalesce((SELECT h.turn FROM jobs AS h
                            WHERE h.status = 'pending' AND h.priority = g.priority AND h.run_at <= :now::bigint
                            ORDER BY h.turn LIMIT 1),
                          (SELECT h.turn FROM jobs AS h WHERE h.status = 'pending' AND h.priority = g.priority
                            ORDER BY h.turn LIMIT 1), 0)
       END AS base
  FROM unnest(:datasetKeys::text[], :priorities::integer[]) AS g (dataset_key, priority)
  LEFT JOIN job_turns AS t ON t.dataset_key = g.dataset_key AND t.priority = g.priority;
