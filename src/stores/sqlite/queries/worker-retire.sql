-- retire: the counters of the workers about to leave the registry (forget: silent since :before)
-- or about to start counting again (heartbeat: :workerId from a later start, :startedAt) are added
-- to worker_counters_retired first, in the same transaction. Only an earlier start is retired: a
-- row from a later one (two live processes under one id, an old one draining) is not the caller's
-- to retire, and its heartbeat does not overwrite it (worker-heartbeat.sql). (:before 0 and
-- :workerId NULL: none of that kind.)
INSERT INTO worker_counters_retired (event, n)
SELECT c.key, sum(c.value)
  FROM workers AS w, json_each(w.counters) AS c
 WHERE w.counters IS NOT NULL AND c.type IN ('integer', 'real')
   AND (w.last_heartbeat_at < :before OR (w.worker_id = :workerId AND w.started_at < :startedAt))
 GROUP BY c.key
ON CONFLICT (event) DO UPDATE SET n = n + excluded.n;
