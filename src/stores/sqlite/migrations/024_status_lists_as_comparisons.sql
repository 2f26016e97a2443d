-- A list of three or more constants after IN becomes a small temporary b-tree that SQLite builds
-- before it tests the first row. In a SELECT that happens once per statement; in a trigger's WHEN
-- and in a partial index's WHERE, which are evaluated against each row an UPDATE changes, it
-- happened for every row: for each complete, jobs_durations built one, and each claim and complete
-- built them for jobs_finished_id and jobs_finished_status (the old row's test and the new one's).
-- Spelled as comparisons they cost a few instructions. Counted with callgrind over 5,000 claims and
-- completes through the store: about 42,000 instructions a job less, 12% of the store's part
-- (docs/deploy.md, "Status lists as comparisons"). Same meaning: status can only hold the five
-- values of jobs' CHECK. Lists of two (jobs_dataset_open) are already coded as comparisons.
-- Numbered 024, not 023: 023 was 023_jobs_work_by_sku (merged 02f04ca, reverted 7727e60), and a
-- database that ran it records version 23 as applied, so a new 023 would never run there.

DROP TRIGGER jobs_durations;
CREATE TRIGGER jobs_durations AFTER UPDATE OF status ON jobs
WHEN OLD.status = 'running' AND NEW.started_at IS NOT NULL
 AND (((NEW.status = 'completed' OR NEW.status = 'failed' OR NEW.status = 'cancelled') AND NEW.finished_at IS NOT NULL)
      OR (NEW.status = 'pending' AND NEW.attempts = OLD.attempts)) BEGIN
  INSERT INTO job_durations (model_id, outcome, bucket, n, sum_ms)
  SELECT NEW.model_id, CASE NEW.status WHEN 'pending' THEN 'retried' ELSE NEW.status END,
         (SELECT count(*) FROM job_duration_bounds WHERE le_ms < e.ms), 1, max(0, e.ms)
    FROM (SELECT CASE NEW.status WHEN 'pending' THEN NEW.updated_at ELSE NEW.finished_at END - NEW.started_at AS ms) AS e
   WHERE true -- (an upsert from a SELECT needs a WHERE, for the parser)
  ON CONFLICT (model_id, outcome, bucket) DO UPDATE SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

-- The listing's finished group must say the same words (sqlite-job-reads.ts, finishedSql): the
-- planner uses a partial index only for a WHERE that contains its condition as written.
DROP INDEX jobs_finished_id;
CREATE INDEX jobs_finished_id ON jobs (id) WHERE (status = 'completed' OR status = 'failed' OR status = 'cancelled');
DROP INDEX jobs_finished_status;
CREATE INDEX jobs_finished_status ON jobs (status, id) WHERE (status = 'completed' OR status = 'failed' OR status = 'cancelled');
