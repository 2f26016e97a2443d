-- What a worker's runner counted as it sent its heartbeat: of the jobs it holds (`running`), how
-- many are claimed but not fitting yet (reading their input, or waiting for a thread). The API's
-- summary.waitingForThread sums it over the live workers (queue-progress.ts), where it estimated
-- running - concurrency before.
-- A table beside `workers`, as PostgreSQL's 040 (where a new column of `workers` breaks the
-- statements older processes have prepared): `workers` keeps its shape in both stores.
-- heartbeat_at is the beat the count was sent with (worker-waiting.sql, in the heartbeat's
-- transaction); worker-list.sql reads a count only when it equals the row's last_heartbeat_at. A
-- worker older than 040 (a rollback restarted under the same --worker-id) moves last_heartbeat_at
-- and never writes here, so the count a newer process left is not read: that worker is estimated.
CREATE TABLE worker_waiting (
  worker_id          TEXT    PRIMARY KEY,
  waiting_for_thread INTEGER NOT NULL,
  heartbeat_at       INTEGER NOT NULL
);
