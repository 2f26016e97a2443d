-- What a worker's runner counted as it sent its heartbeat: of the jobs it holds (`running`), how
-- many are claimed but not fitting yet (reading their input, or waiting for a thread). The API's
-- summary.waitingForThread sums it over the live workers (queue-progress.ts), where it estimated
-- running - concurrency before.
-- A table beside `workers`, not columns of it: an API process older than 040 has worker-list
-- (`SELECT *` then) prepared on its pooled connections, and a new column changes that statement's
-- result type: every later run of it there fails (0A000 cached plan must not change result type),
-- /api/health with it. `workers` keeps its shape, so the upgrade is rolling.
-- heartbeat_at is the beat the count was sent with (worker-heartbeat.sql writes both in one
-- statement); worker-list.sql reads a count only when it equals the row's last_heartbeat_at. A
-- worker older than 040 (a rollback restarted under the same --worker-id) moves last_heartbeat_at
-- and never writes here, so the count a newer process left is not read: that worker is estimated.
CREATE TABLE worker_waiting (
  worker_id          text    PRIMARY KEY,
  waiting_for_thread integer NOT NULL,
  heartbeat_at       bigint  NOT NULL
);
