-- A worker's heartbeat: insert or refresh its row in the registry. A row from a later start of
-- the same id is left as it is (an older process still beating must not replace it); a row from
-- an earlier start has had its counters retired (worker-retire.sql), so a beat without counters
-- does not keep them: they would be counted twice. Nor does an earlier beat of the same start
-- replace a later one (beats written out of order: a periodic one and the stop's).
-- The beat's count of held jobs not fitting yet: worker-waiting.sql, next in the same transaction.
INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
VALUES (:workerId, :host, :pid, :concurrency, :startedAt, :lastHeartbeatAt, :running, :status, :counters)
ON CONFLICT (worker_id) DO UPDATE SET
  host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, started_at = excluded.started_at,
  last_heartbeat_at = excluded.last_heartbeat_at, running = excluded.running, status = excluded.status,
  counters = CASE WHEN workers.started_at = excluded.started_at THEN coalesce(excluded.counters, workers.counters) ELSE excluded.counters END
WHERE workers.started_at < excluded.started_at
   -- a stopped row of this start stays stopped (markStopped by a supervisor that saw the process die,
   -- or the worker's own last beat): only a last beat, saying stopped too, may still write its counters
   OR (workers.started_at = excluded.started_at AND workers.last_heartbeat_at <= excluded.last_heartbeat_at
       AND (workers.status <> 'stopped' OR excluded.status = 'stopped'));
