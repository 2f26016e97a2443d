-- The workers' event counts summed per event, registered and retired together in one statement
-- (one snapshot): two reads could count a worker forgotten between them twice, and the next
-- scrape would read lower, a reset to Prometheus.
SELECT event, sum(n) AS n FROM (
  SELECT c.key AS event, (c.value::text)::double precision AS n
    FROM workers AS w, json_each(w.counters) AS c
   WHERE w.counters IS NOT NULL AND json_typeof(c.value) = 'number'
  UNION ALL
  SELECT event, n FROM worker_counters_retired
) AS counted GROUP BY event;
