-- The event counts of workers that left the registry, summed per event: a worker forgotten after
-- its silence (forget), or one that started again under the same id (its heartbeat's counters
-- begin at 0). skucast_worker_events_total adds them to the registered workers' counts, so it
-- never goes down: Prometheus reads a drop as a counter reset and increase() counts the whole
-- sum again (the documented rescued/fenced alert fired on a forgotten worker).
CREATE TABLE worker_counters_retired (
  event TEXT PRIMARY KEY,
  n     REAL NOT NULL
);
