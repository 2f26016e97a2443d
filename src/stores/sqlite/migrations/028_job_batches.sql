-- A batch's jobs are found by their id range, not by an index over batch_id. enqueue inserts a
-- batch under the write lock, so its ids are consecutive; job_batches keeps the lowest and highest
-- id every enqueue under that batch id wrote (a caller that reuses a batch id widens the range,
-- and the filter's batch_id check on each row keeps it exact). jobs_batch cost a bulk enqueue a
-- sixth of its pages with UUID batch ids (730 of 4,888 per 50,000 jobs) and about a fifth of its
-- time; the filters it served (listing, summary, cancel and requeue by batch) read the range
-- instead, at the cost of reading the batch's rows (docs/deploy.md, "A batch as its id range").
CREATE TABLE job_batches (
  batch_id TEXT    PRIMARY KEY,
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO job_batches (batch_id, first_id, last_id)
SELECT batch_id, min(id), max(id) FROM jobs GROUP BY batch_id;

DROP INDEX jobs_batch;
