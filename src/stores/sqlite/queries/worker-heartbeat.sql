-- A worker's heartbeat: insert or refresh its row in the registry.
INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
VALUES (:workerId, :host, :pid, :concurrency, :startedAt, :lastHeartbeatAt, :running, :status, :counters)
ON CONFLICT (worker_id) DO UPDATE SET
  host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, started_at = excluded.started_at,
  last_heartbeat_at = excluded.last_heartbeat_at, running = excluded.running, status = excluded.status,
  counters = coalesce(excluded.counters, workers.counters);
