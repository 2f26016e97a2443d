-- The job queue. Times are epoch milliseconds, passed in by the store (never SQLite's clock),
-- so an injected clock moves every lease, retry and timestamp together.
-- AUTOINCREMENT: ids are never reused after a reset, so cursors and "superseded by job N" stay true.
CREATE TABLE jobs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id         TEXT    NOT NULL,
  dataset_id       TEXT,
  sku              TEXT    NOT NULL,
  model_id         TEXT    NOT NULL,
  method           TEXT    NOT NULL,
  reason           TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  progress         REAL    NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL DEFAULT 3,
  rescues          INTEGER NOT NULL DEFAULT 0, -- how many times a lease expired under this job
  error            TEXT,
  result           TEXT,                       -- JSON
  settings         TEXT    NOT NULL DEFAULT '{}', -- JSON, frozen at enqueue
  input_hash       TEXT,
  lease_token      TEXT,
  lease_expires_at INTEGER,
  worker_id        TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  run_at           INTEGER NOT NULL
);

-- claim: walk pending jobs in (priority, id) order; run_at is checked on the rows walked.
CREATE INDEX jobs_claim ON jobs (priority, id) WHERE status = 'pending';
-- rescue and the "running first" page: running jobs are few.
CREATE INDEX jobs_running ON jobs (lease_expires_at) WHERE status = 'running';
-- supersede lookup, latestResults (newest per sku+model) and dataset+sku filters.
CREATE INDEX jobs_work ON jobs (dataset_id, sku, model_id, method, status);
CREATE INDEX jobs_input_hash ON jobs (input_hash) WHERE input_hash IS NOT NULL AND status = 'completed';
CREATE INDEX jobs_batch ON jobs (batch_id);
-- prune and recentThroughput look at finished jobs by time.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- Exact counts per status and the sum of progress per status, kept by the triggers below,
-- so summary() never scans jobs. `queue_meta.version` moves on every visible job write (ETag).
CREATE TABLE job_counts (
  status       TEXT    PRIMARY KEY,
  n            INTEGER NOT NULL DEFAULT 0,
  progress_sum REAL    NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO job_counts (status) VALUES ('pending'), ('running'), ('completed'), ('failed'), ('cancelled');

CREATE TABLE queue_meta (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO queue_meta (id, version) VALUES (1, 0);

CREATE TRIGGER jobs_counts_insert AFTER INSERT ON jobs BEGIN
  UPDATE job_counts SET n = n + 1, progress_sum = progress_sum + NEW.progress WHERE status = NEW.status;
  UPDATE queue_meta SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER jobs_counts_update AFTER UPDATE OF status, progress ON jobs
WHEN OLD.status IS NOT NEW.status OR OLD.progress IS NOT NEW.progress BEGIN
  UPDATE job_counts SET n = n - 1, progress_sum = progress_sum - OLD.progress WHERE status = OLD.status;
  UPDATE job_counts SET n = n + 1, progress_sum = progress_sum + NEW.progress WHERE status = NEW.status;
END;

-- Renew only moves lease_expires_at: not a change anyone watching the queue can see, so no bump.
CREATE TRIGGER jobs_version_update AFTER UPDATE OF status, progress, error, result, attempts, run_at, priority ON jobs BEGIN
  UPDATE queue_meta SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER jobs_counts_delete AFTER DELETE ON jobs BEGIN
  UPDATE job_counts SET n = n - 1, progress_sum = progress_sum - OLD.progress WHERE status = OLD.status;
  UPDATE queue_meta SET version = version + 1 WHERE id = 1;
END;

-- Worker registry, for /api/health and for spotting dead workers.
CREATE TABLE workers (
  worker_id         TEXT    PRIMARY KEY,
  host              TEXT    NOT NULL,
  pid               INTEGER NOT NULL,
  concurrency       INTEGER NOT NULL,
  started_at        INTEGER NOT NULL,
  last_heartbeat_at INTEGER NOT NULL,
  running           INTEGER NOT NULL,
  status            TEXT    NOT NULL
);
