-- retire (heartbeat): the counters of this id's row from another start are added to
-- worker_counters_retired before the heartbeat replaces them (worker-heartbeat.sql, the same
-- transaction; the same test of which row a beat replaces: an earlier start, or one stopped or
-- stale). FOR UPDATE: a forget deleting that row meanwhile is waited for, and the row it
-- deleted (and retired) is then skipped, not retired twice. The main INSERT reads the CTE, so the
-- lock is taken before anything is written. Keys in order: two retires lock the same rows in
-- the same order.
-- Not guarded, as rare: an earlier start that takes the row back once a later one stopped or
-- went stale (two processes under one id, the older still draining) has the counts it had when
-- first replaced counted twice (they were retired then; its beats carry them again).
WITH restarted AS (
  SELECT counters FROM workers
   WHERE worker_id = :workerId AND started_at <> :startedAt AND counters IS NOT NULL
     AND (started_at < :startedAt OR status = 'stopped' OR last_heartbeat_at < :lastHeartbeatAt::bigint - :staleMs::bigint)
     FOR UPDATE
)
INSERT INTO worker_counters_retired (event, n)
SELECT c.key, sum((c.value::text)::double precision)
  FROM restarted, json_each(restarted.counters) AS c
 WHERE json_typeof(c.value) = 'number'
 GROUP BY c.key
 ORDER BY c.key
ON CONFLICT (event) DO UPDATE SET n = worker_counters_retired.n + excluded.n;
