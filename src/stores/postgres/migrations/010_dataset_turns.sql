-- Fairness between datasets at one priority (as the SQLite store's 015): claim walks
-- (priority, turn, id). Each enqueued job gets a turn in job-enqueue.sql: its dataset's next one,
-- never earlier than the queue's head at that priority, so a small upload alternates with a big
-- one instead of waiting behind all of it, and a priority-1 edit still goes first.
-- Jobs already queued keep turn 0 (FIFO by id, as before). A constant default: no table rewrite.
ALTER TABLE jobs ADD COLUMN turn bigint NOT NULL DEFAULT 0;

-- The last turn given to each (dataset, priority); dataset_key is '' for jobs without a dataset.
CREATE TABLE job_turns (
  dataset_key text    NOT NULL,
  priority    integer NOT NULL,
  last_turn   bigint  NOT NULL,
  PRIMARY KEY (dataset_key, priority)
);

DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority, turn, id) INCLUDE (run_at) WHERE status = 'pending';
