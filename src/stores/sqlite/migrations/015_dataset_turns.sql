-- Fairness between datasets at one priority: claim walks (priority, turn, id) instead of
-- (priority, id). Each enqueued job gets a turn (job-turn-*.sql): its dataset's next one, never
-- earlier than the queue's head at that priority. A 10-job upload behind a 100,000-job one starts
-- at the head and alternates with it instead of waiting for all of it; a dataset's second batch
-- continues after its first. Priority still comes first: a planner's edit (priority 1) jumps both.
-- Jobs already queued keep turn 0 (FIFO by id, as before).
ALTER TABLE jobs ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;

-- The last turn given to each (dataset, priority); dataset_key is '' for jobs without a dataset.
CREATE TABLE job_turns (
  dataset_key TEXT    NOT NULL,
  priority    INTEGER NOT NULL,
  last_turn   INTEGER NOT NULL,
  PRIMARY KEY (dataset_key, priority)
) WITHOUT ROWID;

DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority, turn, id, run_at) WHERE status = 'pending';
