-- retire (heartbeat): the counters of this id's row from another start are added to
-- worker_counters_retired before the heartbeat replaces them (worker-heartbeat.sql, the same
-- transaction; the same test of which row a beat replaces: an earlier start, or one stopped or
-- stale).
-- The row of the id is locked FOR UPDATE whether or not it is retired, and held to the commit:
-- the heartbeat's own statement reads the row again (READ COMMITTED), and a row this retire left
-- alone (a live later start's) that was marked stopped in between (its supervisor's markStopped,
-- or its own last beat) was then replaced by the heartbeat with its counters never retired:
-- skucast_worker_events_total went down. Now such a write waits for this transaction, or this
-- one waits for it and sees it. A forget deleting the row meanwhile is waited for, and the row it
-- deleted (and retired) is then skipped, not retired twice.
-- Answers the start of the row it locked (none: no row), which the heartbeat's write is fenced on:
-- a row of another start inserted after this read (no row to lock then) is not replaced unretired.
-- The lock comes first, then the retired counters' keys in order (worker-forget.sql takes the
-- same order): two retires never deadlock.
-- Not guarded, as rare: an earlier start that takes the row back once a later one stopped or
-- went stale (two processes under one id, the older still draining) has the counts it had when
-- first replaced counted twice (they were retired then; its beats carry them again).
WITH seen AS (
  SELECT started_at, status, last_heartbeat_at, counters FROM workers WHERE worker_id = :workerId FOR UPDATE
), restarted AS (
  SELECT counters FROM seen
   WHERE started_at <> :startedAt AND counters IS NOT NULL
     AND (started_at < :startedAt OR status = 'stopped' OR last_heartbeat_at < :lastHeartbeatAt::bigint - :staleMs::bigint)
), retired AS (
  INSERT INTO worker_counters_retired (event, n)
  SELECT c.key, sum((c.value::text)::double precision)
    FROM restarted, json_each(restarted.counters) AS c
   WHERE json_typeof(c.value) = 'number'
   GROUP BY c.key
   ORDER BY c.key
  ON CONFLICT (event) DO UPDATE SET n = worker_counters_retired.n + excluded.n
)
SELECT started_at::double precision AS started_at FROM seen;
