-- retire: the counters of the workers about to leave the registry (forget: silent since :before)
-- or about to start counting again (heartbeat: the row of :workerId from another start that the
-- beat replaces, worker-heartbeat.sql's test: an earlier start, or one stopped or stale) are added
-- to worker_counters_retired first, in the same transaction. A live later start's row is not the
-- caller's to retire (two live processes under one id, an old one draining), and its heartbeat
-- does not overwrite it. (:before 0 and :workerId NULL: none of that kind.)
-- Not guarded, as rare: an earlier start that takes the row back once a later one stopped or
-- went stale (two processes under one id, the older still draining) has the counts it had when
-- first replaced counted twice (they were retired then; its beats carry them again).
INSERT INTO worker_counters_retired (event, n)
SELECT c.key, sum(c.value)
  FROM workers AS w, json_each(w.counters) AS c
 WHERE w.counters IS NOT NULL AND c.type IN ('integer', 'real')
   AND (w.last_heartbeat_at < :before
        OR (w.worker_id = :workerId AND w.started_at <> :startedAt
            AND (w.started_at < :startedAt OR w.status = 'stopped' OR w.last_heartbeat_at < :lastHeartbeatAt - :staleMs)))
 GROUP BY c.key
ON CONFLICT (event) DO UPDATE SET n = n + excluded.n;
