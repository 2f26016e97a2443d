-- retire (heartbeat): the counters of this id's row from another start are added to
-- worker_counters_retired before the heartbeat replaces them (worker-heartbeat.sql, the same
-- transaction, which replaces the row only when this judged it replaceable: an earlier start, or
-- one stopped or stale).
-- The row of the id is locked FOR UPDATE whether or not it is replaced, and held to the commit
-- (worker-retire-lock.sql takes the lock in a statement before this one, so that this one's
-- snapshot sees the worker_heard row of any beat it waited for; the FOR UPDATE here locks a row
-- inserted in between):
-- the heartbeat's own statement reads the row again (READ COMMITTED), and a row this retire left
-- alone (a live later start's) that was marked stopped in between (its supervisor's markStopped,
-- or its own last beat) was then replaced by the heartbeat with its counters never retired:
-- skucast_worker_events_total went down. Now such a write waits for this transaction, or this
-- one waits for it and sees it. A forget deleting the row meanwhile is waited for, and the row it
-- deleted (its counters retired) is then skipped, not retired twice.
-- Answers the start of the row it locked (none: no row), which the heartbeat's write is fenced on:
-- a row of another start inserted after this read (no row to lock then) is not replaced unretired.
-- It also answers its decision (`replaceable`), which the heartbeat's write takes as it is rather than
-- judging again: the row is locked, and a second reading of the clock could differ from this one.
-- Stale is judged on the database's clock where it heard the row's last beat (worker_heard, 041):
-- silent for :staleMs by clock_timestamp(), whatever the two hosts' clocks say (a StatefulSet pod
-- keeps its id across nodes). A row whose last beat it has no reading of (written by a worker
-- older than 041) is judged as before: its beat's date against this beat's, two hosts' clocks.
-- The lock comes first, then the retired counters' keys in order (worker-forget.sql takes the
-- same order): two retires never deadlock.
-- Not guarded, as rare: an earlier start that takes the row back once a later one stopped or
-- went stale (two processes under one id, the older still draining) has the counts it had when
-- first replaced counted twice (they were retired then; its beats carry them again).
WITH locked AS (
  SELECT w.started_at, w.status, w.counters,
         coalesce((extract(epoch FROM clock_timestamp()) * 1000)::bigint - wh.heard_at > :staleMs::bigint,
                  w.last_heartbeat_at < :lastHeartbeatAt::bigint - :staleMs::bigint) AS stale
    FROM workers AS w
    LEFT JOIN worker_heard AS wh ON wh.worker_id = w.worker_id AND wh.heartbeat_at = w.last_heartbeat_at
   WHERE w.worker_id = :workerId
     -- a row the lock statement did not find (inserted since) is not judged here: the row lock this
     -- statement would wait for may be a later beat's, paired with this snapshot's older heard row
     -- (the bug worker-retire-lock.sql exists for). The beat then saw no row, its write is kept
     -- out, and the heartbeat's second try locks the row first.
     AND :locked::boolean
     FOR UPDATE OF w
), seen AS (
  SELECT started_at, counters,
         started_at <> :startedAt AND (started_at < :startedAt OR status = 'stopped' OR stale) AS replaceable
    FROM locked
), restarted AS (
  SELECT counters FROM seen WHERE replaceable AND counters IS NOT NULL
), retired AS (
  INSERT INTO worker_counters_retired (event, n)
  SELECT c.key, sum((c.value::text)::double precision)
    FROM restarted, json_each(restarted.counters) AS c
   WHERE json_typeof(c.value) = 'number'
   GROUP BY c.key
   ORDER BY c.key
  ON CONFLICT (event) DO UPDATE SET n = worker_counters_retired.n + excluded.n
)
SELECT started_at::double precision AS started_at, replaceable FROM seen;
