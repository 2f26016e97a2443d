-- A worker's heartbeat: insert or refresh its row in the registry. A row of the same id with
-- another start time is an earlier process's: its counters are retired first (worker-retire in
-- SQLite's terms), since this process's count from 0. The CTE reads the row as it was before the
-- upsert (one snapshot); no FOR UPDATE: with it, PostgreSQL 15 retired nothing here (tried; the
-- conformance case failed). One process heartbeats one id, one beat after another.
WITH restarted AS (
  SELECT counters FROM workers
   WHERE worker_id = :workerId AND started_at <> :startedAt AND counters IS NOT NULL
), retired AS (
  INSERT INTO worker_counters_retired (event, n)
  SELECT c.key, sum((c.value::text)::double precision)
    FROM restarted, json_each(restarted.counters) AS c
   WHERE json_typeof(c.value) = 'number'
   GROUP BY c.key
  ON CONFLICT (event) DO UPDATE SET n = worker_counters_retired.n + excluded.n
)
INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status, counters)
VALUES (:workerId, :host, :pid, :concurrency, :startedAt, :lastHeartbeatAt, :running, :status, :counters::json)
ON CONFLICT (worker_id) DO UPDATE SET
  host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, started_at = excluded.started_at,
  last_heartbeat_at = excluded.last_heartbeat_at, running = excluded.running, status = excluded.status,
  counters = coalesce(excluded.counters, workers.counters);
