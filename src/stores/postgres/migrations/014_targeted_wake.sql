-- Targeted wake-ups: an enqueue of one job wakes one worker process, not all of them.
-- Before, every statement that made jobs pending sent NOTIFY skucast_jobs '<schema>' and every
-- worker process claimed at once: with 32 idle processes on 2 cores, one claim found the job and
-- 31 ran for nothing (each an UPDATE with its statement triggers), and the one that found it
-- queued for CPU behind them (pickup p50 41 ms, p99 108 ms, against 6 ms with one process).
-- Now wake_claimers(n) picks n of the schema's LISTEN connections (application_name
-- 'skucast-listen:<schema>', postgres-connection.ts) in round-robin order and names their backend
-- pids in the payload: '<schema>:pid,pid'. Only those processes claim. A named process that cannot
-- take a job (all its slots busy, stopping, or not a worker at all) passes the wake on to everyone
-- with the plain payload (postgres-listener.ts), so a job is never left to the backstop poll
-- because the wrong process was named. With as many new jobs as listeners or more, with no
-- listener found (an application_name cut at 63 characters), or more than 200 jobs, the plain
-- payload wakes everyone as before: they all have work then.
CREATE SEQUENCE job_wake_turn;

CREATE FUNCTION wake_claimers(schema_name text, new_jobs bigint) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  listeners integer[];
  k integer;
  first bigint;
BEGIN
  IF new_jobs <= 0 THEN
    RETURN;
  END IF;
  IF new_jobs <= 200 THEN
    SELECT array_agg(pid ORDER BY pid) INTO listeners FROM pg_stat_activity
     WHERE application_name = left('skucast-listen:' || schema_name, 63);
  END IF;
  k := coalesce(array_length(listeners, 1), 0);
  IF k = 0 OR new_jobs >= k THEN
    PERFORM pg_notify('skucast_jobs', schema_name);
    RETURN;
  END IF;
  first := nextval('job_wake_turn') % k;
  PERFORM pg_notify('skucast_jobs', schema_name || ':' ||
    array_to_string(ARRAY(SELECT listeners[1 + (first + i) % k] FROM generate_series(0, new_jobs - 1) AS i), ','));
END $$;

CREATE OR REPLACE FUNCTION jobs_counts_insert() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO job_counts AS c (backend, status, n, progress_sum)
  SELECT pg_backend_pid(), status, count(*), sum(round(progress * 100)::bigint) FROM new_rows GROUP BY status ORDER BY status
  ON CONFLICT (backend, status) DO UPDATE SET n = c.n + excluded.n, progress_sum = c.progress_sum + excluded.progress_sum;
  INSERT INTO queue_version AS v (backend, version)
  SELECT pg_backend_pid(), count(*) FROM new_rows HAVING count(*) > 0
  ON CONFLICT (backend) DO UPDATE SET version = v.version + excluded.version;
  PERFORM wake_claimers(TG_TABLE_SCHEMA, (SELECT count(*) FROM new_rows WHERE status = 'pending'));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jobs_counts_update() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO job_counts AS c (backend, status, n, progress_sum)
  SELECT pg_backend_pid(), status, sum(dn), sum(dp)
    FROM (SELECT status, -1 AS dn, -round(progress * 100)::bigint AS dp FROM old_rows
          UNION ALL
          SELECT status, 1, round(progress * 100)::bigint FROM new_rows) AS d
   GROUP BY status HAVING sum(dn) <> 0 OR sum(dp) <> 0 ORDER BY status
  ON CONFLICT (backend, status) DO UPDATE SET n = c.n + excluded.n, progress_sum = c.progress_sum + excluded.progress_sum;
  -- Renew only moves lease_expires_at: not a change anyone watching the queue can see.
  INSERT INTO queue_version AS v (backend, version)
  SELECT pg_backend_pid(), count(*)
    FROM old_rows AS o JOIN new_rows AS n USING (id)
   WHERE (o.status, o.progress, o.error, o.attempts, o.run_at, o.priority, o.updated_at, o.result::text)
         IS DISTINCT FROM (n.status, n.progress, n.error, n.attempts, n.run_at, n.priority, n.updated_at, n.result::text)
  HAVING count(*) > 0
  ON CONFLICT (backend) DO UPDATE SET version = v.version + excluded.version;
  PERFORM wake_claimers(TG_TABLE_SCHEMA, (SELECT count(*) FROM new_rows WHERE status = 'pending'));
  IF EXISTS (SELECT 1 FROM new_rows WHERE status = 'cancelled') THEN
    PERFORM pg_notify('skucast_cancel', TG_TABLE_SCHEMA);
  END IF;
  RETURN NULL;
END $$;
