-- A worker's heartbeat: insert or refresh its row in the registry, after worker-retire.sql in
-- the same transaction. A row of another start of the same id is replaced when the retire said so
-- (:seenReplaceable): that start is earlier, or has stopped, or is stale (silent for a minute, on the
-- database's clock where it heard that start's last beat): a restart whose clock stepped back
-- across it starts earlier than the row it follows, and must not be kept out until forget. A live later start's row is left as it is (an older process still draining must
-- not replace it). A replaced row's counters were retired, so a beat without counters does not
-- keep them: they would be counted twice.
-- Nor does an earlier beat of the same start replace a later one: beats can commit out of order
-- (a periodic one still in flight when the stop sends 'stopped'); the worker dates its beats so
-- that they increase even when its clock steps back (run-worker.ts).
-- The beat's count of held jobs not fitting yet goes to worker_waiting (040) in the same
-- statement, dated by this beat, and only if the beat was written: a count is read only with the
-- heartbeat it came with (worker-list.sql). :waitingForThread NULL: none reported, none written.
-- When the database heard the beat, on its own clock, goes to worker_heard (041) the same way: the
-- API measures a beat's age by it (worker-list.sql), not by comparing two hosts' clocks.
-- Answers written: 1 if the beat is now the row's, 0 if it was kept out.
WITH beat AS (
  INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
  VALUES (:workerId, :host, :pid, :concurrency, :startedAt, :lastHeartbeatAt, :running, :status, :counters::json)
  ON CONFLICT (worker_id) DO UPDATE SET
    host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, started_at = excluded.started_at,
    last_heartbeat_at = excluded.last_heartbeat_at, running = excluded.running, status = excluded.status,
    counters = CASE WHEN workers.started_at = excluded.started_at THEN coalesce(excluded.counters, workers.counters) ELSE excluded.counters END
  WHERE (workers.started_at = excluded.started_at AND workers.last_heartbeat_at <= excluded.last_heartbeat_at
         -- a stopped row of this start stays stopped (markStopped by a supervisor that saw the process
         -- die, or the worker's own last beat; on PostgreSQL a dead client's statement may still commit
         -- after it): only a last beat, saying stopped too, may still write its counters
         AND (workers.status <> 'stopped' OR excluded.status = 'stopped'))
     OR (workers.started_at <> excluded.started_at
         -- fenced: only the row worker-retire.sql locked and judged replaceable (its counters
         -- retired) is replaced, never one of another start inserted since (:seenStartedAt NULL:
         -- it saw none)
         AND workers.started_at = :seenStartedAt::bigint
         AND :seenReplaceable::boolean)
  RETURNING worker_id, last_heartbeat_at
), waiting AS (
  INSERT INTO worker_waiting (worker_id, waiting_for_thread, heartbeat_at)
  SELECT worker_id, :waitingForThread::integer, last_heartbeat_at FROM beat WHERE :waitingForThread::integer IS NOT NULL
  ON CONFLICT (worker_id) DO UPDATE SET waiting_for_thread = excluded.waiting_for_thread, heartbeat_at = excluded.heartbeat_at
), heard AS (
  INSERT INTO worker_heard (worker_id, heartbeat_at, heard_at)
  SELECT worker_id, last_heartbeat_at, (extract(epoch FROM clock_timestamp()) * 1000)::bigint FROM beat
  ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, heard_at = excluded.heard_at
)
SELECT count(*)::integer AS written FROM beat;
