-- A worker's heartbeat: insert or refresh its row in the registry. A row of another start of the
-- same id is replaced when that start is earlier, or has stopped, or is stale (silent for :staleMs
-- before this beat): a restart whose clock stepped back across it starts earlier than the row it
-- follows, and must not be kept out until forget. A live later start's row is left as it is (an
-- older process still draining must not replace it). A replaced row's counters were retired
-- (worker-retire.sql, the same test), so a beat without counters does not keep them: they would
-- be counted twice. Nor does an earlier beat of the same start replace a later one (beats written
-- out of order: a periodic one and the stop's; the worker dates its beats so that they increase
-- even when its clock steps back, run-worker.ts). 0 rows changed: the beat was kept out.
-- The beat's count of held jobs not fitting yet: worker-waiting.sql, next in the same transaction.
INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
VALUES (:workerId, :host, :pid, :concurrency, :startedAt, :lastHeartbeatAt, :running, :status, :counters)
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
       AND (workers.started_at < excluded.started_at OR workers.status = 'stopped'
            OR workers.last_heartbeat_at < excluded.last_heartbeat_at - :staleMs));
