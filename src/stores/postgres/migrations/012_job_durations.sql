-- job_durations: how long finished attempts ran, by model and outcome, as histogram buckets kept
-- by a trigger (src/queue/job-durations.ts). Separate from jobs, so pruning finished jobs or a
-- reset never lowers it: /metrics exports it as a Prometheus histogram whose counts only grow.
-- bucket = how many bounds lie below the duration (0: at most the first bound; the count of
-- bounds: above them all, the +Inf bucket). One row per connection that wrote, as job_counts
-- (001_jobs.sql), so workers finishing the same model at once never wait on one hot row;
-- fold_job_durations() folds the rows of connections that have gone into backend 0.
CREATE TABLE job_duration_bounds (le_ms bigint PRIMARY KEY);
INSERT INTO job_duration_bounds (le_ms) VALUES
  (10), (25), (50), (100), (250), (500), (1000), (2500), (5000), (10000), (30000), (60000), (300000), (1800000);

CREATE TABLE job_durations (
  backend  integer NOT NULL,
  model_id text    NOT NULL,
  outcome  text    NOT NULL,
  bucket   integer NOT NULL,
  n        bigint  NOT NULL,
  sum_ms   bigint  NOT NULL,
  PRIMARY KEY (backend, model_id, outcome, bucket)
);

-- An attempt counts when it ends: a running job that becomes completed, failed or cancelled (it
-- ended at finished_at), or goes back to pending with its attempt kept, retried by its worker or
-- rescued with attempts left (outcome 'retried', ended at updated_at). A release gives the attempt
-- back (attempts - 1) and is not counted; reused results never ran; a cancelled pending job still
-- carries the started_at of an earlier attempt, hence o.status = 'running'. The first test keeps
-- the statements that cannot end an attempt (claim, renew, progress: every heartbeat) at one scan
-- of the rows they changed.
CREATE FUNCTION jobs_durations_update() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows WHERE status <> 'running') THEN
    RETURN NULL;
  END IF;
  INSERT INTO job_durations AS d (backend, model_id, outcome, bucket, n, sum_ms)
  SELECT pg_backend_pid(), f.model_id, f.outcome, f.bucket, count(*), sum(greatest(0, f.ms))
    FROM (SELECT e.model_id, e.outcome, e.ms,
                 (SELECT count(*) FROM job_duration_bounds AS b WHERE b.le_ms < e.ms)::integer AS bucket
            FROM (SELECT n.model_id,
                         CASE n.status WHEN 'pending' THEN 'retried' ELSE n.status END AS outcome,
                         CASE n.status WHEN 'pending' THEN n.updated_at ELSE n.finished_at END - n.started_at AS ms
                    FROM old_rows AS o JOIN new_rows AS n USING (id)
                   WHERE o.status = 'running' AND n.started_at IS NOT NULL
                     AND ((n.status IN ('completed', 'failed', 'cancelled') AND n.finished_at IS NOT NULL)
                          OR (n.status = 'pending' AND n.attempts = o.attempts))) AS e) AS f
   GROUP BY f.model_id, f.outcome, f.bucket ORDER BY f.model_id, f.outcome, f.bucket
  ON CONFLICT (backend, model_id, outcome, bucket) DO UPDATE SET n = d.n + excluded.n, sum_ms = d.sum_ms + excluded.sum_ms;
  RETURN NULL;
END $$;

CREATE TRIGGER jobs_durations_update AFTER UPDATE ON jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_durations_update();

CREATE FUNCTION fold_job_durations() RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext(current_schema() || '.fold_job_durations')) THEN
    RETURN;
  END IF;
  WITH gone AS (
    DELETE FROM job_durations
     WHERE backend <> 0 AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
    RETURNING model_id, outcome, bucket, n, sum_ms
  )
  INSERT INTO job_durations AS d (backend, model_id, outcome, bucket, n, sum_ms)
  SELECT 0, model_id, outcome, bucket, sum(n), sum(sum_ms) FROM gone GROUP BY model_id, outcome, bucket ORDER BY 2, 3, 4
  ON CONFLICT (backend, model_id, outcome, bucket) DO UPDATE SET n = d.n + excluded.n, sum_ms = d.sum_ms + excluded.sum_ms;
END $$;

-- The attempts that finished before this migration, as far as the table still holds them.
INSERT INTO job_durations (backend, model_id, outcome, bucket, n, sum_ms)
SELECT 0, model_id, status, bucket, count(*), sum(ms)
  FROM (SELECT model_id, status, greatest(0, finished_at - started_at) AS ms,
               (SELECT count(*) FROM job_duration_bounds AS b WHERE b.le_ms < finished_at - started_at)::integer AS bucket
          FROM jobs
         WHERE status IN ('completed', 'failed') AND attempts > 0
           AND started_at IS NOT NULL AND finished_at IS NOT NULL) AS f
 GROUP BY model_id, status, bucket;
