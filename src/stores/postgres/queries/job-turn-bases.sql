-- enqueue: for each (dataset, priority) group of a batch, its first turn: after the dataset's last
-- one when that job still waits, else the queue's head at that priority (the first entry of
-- jobs_claim), else 0. Two index seeks per group; a batch usually has one or two groups.
SELECT g.dataset_key, g.priority,
       CASE WHEN EXISTS (SELECT 1 FROM jobs AS w
                          WHERE w.status = 'pending' AND w.priority = g.priority AND w.turn = t.last_turn
                            AND coalesce(w.dataset_id, '') = g.dataset_key)
            THEN t.last_turn + 1
            ELSE coalesce((SELECT h.turn FROM jobs AS h WHERE h.status = 'pending' AND h.priority = g.priority
                            ORDER BY h.turn LIMIT 1), 0)
       END AS base
  FROM unnest(:datasetKeys::text[], :priorities::integer[]) AS g (dataset_key, priority)
  LEFT JOIN job_turns AS t ON t.dataset_key = g.dataset_key AND t.priority = g.priority;
