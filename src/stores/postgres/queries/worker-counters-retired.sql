-- The summed counters of workers no longer in the registry (worker-retire.sql), for /metrics.
SELECT event, n FROM worker_counters_retired;
