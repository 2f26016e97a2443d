-- forget: workers silent since :before leave the registry (a SIGKILLed worker never says it stopped),
-- their counters retired into worker_counters_retired in the same statement. Each row is deleted
-- by one forget only, so two processes' maintenance never retire it twice.
-- Counts of held jobs not fitting yet (040) sent with a heartbeat older than :before go too: none
-- can be read any more (worker-list.sql reads one only with its row's last heartbeat), either that
-- row is forgotten here or it has beaten since. No foreign key: a process older than 040 may forget.
WITH waiting_gone AS (
  DELETE FROM worker_waiting WHERE heartbeat_at < :before
), heard_gone AS (
  DELETE FROM worker_heard WHERE heartbeat_at < :before -- 041, as worker_waiting
), gone AS (
  DELETE FROM workers WHERE last_heartbeat_at < :before RETURNING counters
), retired AS (
  INSERT INTO worker_counters_retired (event, n)
  SELECT c.key, sum((c.value::text)::double precision)
    FROM gone, json_each(gone.counters) AS c
   WHERE gone.counters IS NOT NULL AND json_typeof(c.value) = 'number'
   GROUP BY c.key
   ORDER BY c.key -- rows locked in one order (worker-retire.sql does the same)
  ON CONFLICT (event) DO UPDATE SET n = worker_counters_retired.n + excluded.n
)
SELECT count(*) AS forgotten FROM gone;
