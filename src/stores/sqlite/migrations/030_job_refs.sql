-- A job holds its batch and its dataset as integer refs, not as their id text, and the jobs table
-- is rebuilt once with its columns in a new order (SQLite's procedure for a change ALTER TABLE
-- cannot make: a new table, the rows copied, the old one dropped, the new one renamed, its indexes
-- and triggers made again).
--
-- Why the refs: the product gives every batch a UUID (37 bytes in each row) and every dataset an
-- id of 19 characters (20 bytes in the row and in each of jobs_work, jobs_dataset_open and
-- jobs_dataset_newest). Per 50,000-job enqueue they were 1,500 of 4,150 pages written, to the WAL
-- and again at the checkpoint (docs/deploy.md, "A batch and a dataset as integer refs"). Reads get
-- the ids back by the refs, a rowid seek each (job-rows.ts, jobColumns); filters look a ref up once.
-- A ref is never given again (AUTOINCREMENT): a job holding the ref of a batch prune forgot must
-- not read as a later batch.
--
-- Why the order: SQLite reads a row's columns in order, and a column after a large value (a
-- completed job's result, kilobytes) is read only through that value's overflow pages. batch_ref
-- and turn were appended by ALTER TABLE after `result`: a batch filter, which tests every row of
-- the batch's id range, then walked every result. `result` is now the last column.
--
-- Not a rolling upgrade: code older than 030 reads and writes batch_id and dataset_id, which are
-- gone; stop the old processes first (docs/deploy.md, "upgrading to 030").
CREATE TABLE job_batches_030 (
  ref      INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id TEXT    NOT NULL UNIQUE,
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL
);
-- Every job gets a ref, also one whose batch no range held (a row written by hand, or by a process
-- older than 028 on the same file: what recount repaired until now), and a range covers its jobs.
-- One INSERT of both sources, not an upsert over job_batches' rows: an upsert's conflict path
-- still takes the next AUTOINCREMENT value, and n batches got refs up to 2n.
INSERT INTO job_batches_030 (batch_id, first_id, last_id)
SELECT batch_id, min(first_id), max(last_id)
  FROM (SELECT batch_id, first_id, last_id FROM job_batches
        UNION ALL
        SELECT batch_id, min(id), max(id) FROM jobs GROUP BY batch_id)
 GROUP BY batch_id ORDER BY min(first_id);
DROP TABLE job_batches;
ALTER TABLE job_batches_030 RENAME TO job_batches;

CREATE TABLE job_datasets (
  ref        INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset_id TEXT    NOT NULL UNIQUE
);
INSERT INTO job_datasets (dataset_id)
SELECT dataset_id FROM jobs WHERE dataset_id IS NOT NULL GROUP BY dataset_id ORDER BY min(id);

CREATE TABLE jobs_030 (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_ref        INTEGER NOT NULL DEFAULT 0,   -- job_batches.ref
  dataset_ref      INTEGER,                      -- job_datasets.ref; NULL: a job without a dataset
  sku              TEXT    NOT NULL,
  model_id         TEXT    NOT NULL,
  method           TEXT    NOT NULL,
  reason           TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  turn             INTEGER NOT NULL DEFAULT 0,   -- datasets take turns (migration 015)
  status           TEXT    NOT NULL CHECK (status = 'pending' OR status = 'running' OR status = 'completed' OR status = 'failed' OR status = 'cancelled'),
  progress         REAL    NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL DEFAULT 3,
  rescues          INTEGER NOT NULL DEFAULT 0,   -- how many times a lease expired under this job
  settings         TEXT    NOT NULL DEFAULT '{}', -- JSON, frozen at enqueue
  input_hash       TEXT,
  lease_token      TEXT,
  lease_expires_at INTEGER,
  worker_id        TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  run_at           INTEGER NOT NULL,
  error            TEXT,
  result           TEXT                          -- JSON; last, see above
);
INSERT INTO jobs_030 (id, batch_ref, dataset_ref, sku, model_id, method, reason, priority, turn, status, progress,
                      attempts, max_attempts, rescues, settings, input_hash, lease_token, lease_expires_at, worker_id,
                      created_at, updated_at, started_at, finished_at, run_at, error, result)
SELECT j.id, b.ref, d.ref, j.sku, j.model_id, j.method, j.reason, j.priority, j.turn, j.status, j.progress,
       j.attempts, j.max_attempts, j.rescues, j.settings, j.input_hash, j.lease_token, j.lease_expires_at, j.worker_id,
       j.created_at, j.updated_at, j.started_at, j.finished_at, j.run_at, j.error, j.result
  FROM jobs AS j
  JOIN job_batches AS b ON b.batch_id = j.batch_id
  LEFT JOIN job_datasets AS d ON d.dataset_id = j.dataset_id
 ORDER BY j.id;
-- The id sequence goes on from where it was (ids of deleted jobs are never given again).
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'jobs')
 WHERE name = 'jobs_030' AND seq < (SELECT seq FROM sqlite_sequence WHERE name = 'jobs');
INSERT INTO sqlite_sequence (name, seq)
SELECT 'jobs_030', seq FROM sqlite_sequence
 WHERE name = 'jobs' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'jobs_030');
DROP TABLE jobs;
ALTER TABLE jobs_030 RENAME TO jobs;

-- The indexes and triggers as the migrations before left them (001-027), the dataset's keyed by its ref.
CREATE INDEX jobs_claim ON jobs (priority, turn, id, run_at) WHERE status = 'pending';
CREATE INDEX jobs_dataset_newest ON jobs (dataset_ref, id);
CREATE INDEX jobs_dataset_open ON jobs (dataset_ref) WHERE status IN ('pending', 'running');
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_finished_id ON jobs (id) WHERE (status = 'completed' OR status = 'failed' OR status = 'cancelled');
CREATE INDEX jobs_finished_status ON jobs (status, id) WHERE (status = 'completed' OR status = 'failed' OR status = 'cancelled');
CREATE INDEX jobs_input_hash ON jobs (input_hash) WHERE input_hash IS NOT NULL AND status = 'completed';
CREATE INDEX jobs_running ON jobs (id, lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_sku ON jobs (sku);
CREATE INDEX jobs_work ON jobs (dataset_ref, sku, model_id, method, status);

CREATE TRIGGER jobs_cancel_signal AFTER UPDATE OF status ON jobs
WHEN NEW.status = 'cancelled' AND OLD.status IS NOT 'cancelled' BEGIN
  UPDATE queue_meta SET cancels = cancels + 1 WHERE id = 1;
END;

CREATE TRIGGER jobs_counts_delete AFTER DELETE ON jobs BEGIN
  UPDATE job_counts SET n = n - 1, progress_sum = progress_sum - CAST(round(OLD.progress * 100) AS INTEGER)
   WHERE status = OLD.status;
  UPDATE queue_meta SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER jobs_counts_update AFTER UPDATE OF status, progress ON jobs
WHEN OLD.status IS NOT NEW.status OR OLD.progress IS NOT NEW.progress BEGIN
  UPDATE job_counts SET n = n - 1, progress_sum = progress_sum - CAST(round(OLD.progress * 100) AS INTEGER)
   WHERE status = OLD.status;
  UPDATE job_counts SET n = n + 1, progress_sum = progress_sum + CAST(round(NEW.progress * 100) AS INTEGER)
   WHERE status = NEW.status;
END;

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

CREATE TRIGGER jobs_version_update AFTER UPDATE OF status, progress, error, result, attempts, run_at, priority ON jobs BEGIN
  UPDATE queue_meta SET version = version + 1 WHERE id = 1;
END;
