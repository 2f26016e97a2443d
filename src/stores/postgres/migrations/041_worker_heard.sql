-- When the database received each worker's last heartbeat, on its own clock (clock_timestamp(),
-- epoch ms). The API's liveWorkers, drainingWorkers and /api/health's stale compare a beat's age
-- with a minute; last_heartbeat_at is dated by the worker's clock and was compared with the API
-- host's, so a worker whose clock ran a minute behind the API's counted as dead (no worker taking
-- jobs, while it took them) and one ahead as alive for that much longer after it died.
-- worker-list.sql answers each row's age as clock_timestamp() - heard_at: both readings by the
-- database, whatever the hosts' clocks say.
-- A table beside `workers`, as 040's worker_waiting (see there: a new column of `workers` breaks the
-- worker-list an older API process prepared). heartbeat_at is the beat it was heard with: read only
-- when it equals the row's last_heartbeat_at (a worker older than 041 beating under the same id
-- writes none here, and its age is then measured by the API's clock, as before).
CREATE TABLE worker_heard (
  worker_id    text   PRIMARY KEY,
  heartbeat_at bigint NOT NULL,
  heard_at     bigint NOT NULL
);
