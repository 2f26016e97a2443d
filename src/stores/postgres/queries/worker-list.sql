-- The registry, each worker with the count of held jobs not fitting yet that it sent with its last
-- heartbeat (worker_waiting, 040): a count dated by another beat is not read (NULL), as after a
-- worker older than 040 beats under the same id. Columns by name: a statement prepared by a running
-- process keeps its result type only while the tables it reads do (`SELECT *` broke on PostgreSQL
-- when a column was added).
-- heartbeat_age_ms: how long ago the database heard the row's last beat, both readings on its clock
-- (worker_heard, 041); NULL for a beat it has no reading of (written by a worker older than 041).
SELECT w.worker_id, w.host, w.pid, w.concurrency, w.started_at, w.last_heartbeat_at, w.running, w.status, w.counters,
       ww.waiting_for_thread,
       ((extract(epoch FROM clock_timestamp()) * 1000)::bigint - wh.heard_at)::double precision AS heartbeat_age_ms
  FROM workers AS w
  LEFT JOIN worker_waiting AS ww ON ww.worker_id = w.worker_id AND ww.heartbeat_at = w.last_heartbeat_at
  LEFT JOIN worker_heard AS wh ON wh.worker_id = w.worker_id AND wh.heartbeat_at = w.last_heartbeat_at
 ORDER BY w.started_at, w.worker_id;
