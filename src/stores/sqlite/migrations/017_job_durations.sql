-- job_durations: how long finished attempts ran, by model and outcome, as histogram buckets kept
-- by a trigger (src/queue/job-durations.ts). Separate from jobs, so pruning finished jobs or a
-- reset never lowers it: /metrics exports it as a Prometheus histogram whose counts only grow.
-- bucket = how many bounds lie below the duration (0: at most the first bound; the count of
-- bounds: above them all, the +Inf bucket).
CREATE TABLE job_duration_bounds (le_ms INTEGER PRIMARY KEY);
INSERT INTO job_duration_bounds (le_ms) VALUES
  (10), (25), (50), (100), (250), (500), (1000), (2500), (5000), (10000), (30000), (60000), (300000), (1800000);

CREATE TABLE job_durations (
  model_id TEXT    NOT NULL,
  outcome  TEXT    NOT NULL,
  bucket   INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  sum_ms   INTEGER NOT NULL,
  PRIMARY KEY (model_id, outcome, bucket)
) WITHOUT ROWID;

-- An attempt counts when it ends: a running job that becomes completed, failed or cancelled (it
-- ended at finished_at), or goes back to pending with its attempt kept, retried by its worker or
-- rescued with attempts left (outcome 'retried', ended at updated_at). A release gives the attempt
-- back (attempts - 1) and is not counted; reused results never ran; a cancelled pending job still
-- carries the started_at of an earlier attempt, hence OLD.status = 'running'.
CREATE TRIGGER jobs_durations AFTER UPDATE OF status ON jobs
WHEN OLD.status = 'running' AND NEW.started_at IS NOT NULL
 AND ((NEW.status IN ('completed', 'failed', 'cancelled') AND NEW.finished_at IS NOT NULL)
      OR (NEW.status = 'pending' AND NEW.attempts = OLD.attempts)) BEGIN
  INSERT INTO job_durations (model_id, outcome, bucket, n, sum_ms)
  SELECT NEW.model_id, CASE NEW.status WHEN 'pending' THEN 'retried' ELSE NEW.status END,
         (SELECT count(*) FROM job_duration_bounds WHERE le_ms < e.ms), 1, max(0, e.ms)
    FROM (SELECT CASE NEW.status WHEN 'pending' THEN NEW.updated_at ELSE NEW.finished_at END - NEW.started_at AS ms) AS e
   WHERE true -- (an upsert from a SELECT needs a WHERE, for the parser)
  ON CONFLICT (model_id, outcome, bucket) DO UPDATE SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

-- The attempts that finished before this migration, as far as the table still holds them.
INSERT INTO job_durations (model_id, outcome, bucket, n, sum_ms)
SELECT model_id, status, bucket, count(*), sum(d)
  FROM (SELECT model_id, status, max(0, finished_at - started_at) AS d,
               (SELECT count(*) FROM job_duration_bounds WHERE le_ms < finished_at - started_at) AS bucket
          FROM jobs
         WHERE status IN ('completed', 'failed') AND attempts > 0
           AND started_at IS NOT NULL AND finished_at IS NOT NULL)
 GROUP BY model_id, status, bucket;
