-- A job holds its batch as an integer ref into job_batches, not as the batch's id text. The product
-- gives every batch a UUID: 37 bytes in each row (36 and a header byte), where a ref takes 1 to 4.
-- Per 50,000-job enqueue that was 450 of 4,150 pages written, to the WAL and again at the
-- checkpoint (docs/deploy.md, "A batch and a dataset as integer refs"). Reads get the batch id back by the ref,
-- a rowid seek (job-rows.ts, jobColumns). Not a rolling upgrade: a process older than 030 writes
-- and reads batch_id, which is gone; stop the old ones first, as for 028.
CREATE TABLE job_batches_030 (
  ref      INTEGER PRIMARY KEY,
  batch_id TEXT    NOT NULL UNIQUE,
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL
);

INSERT INTO job_batches_030 (batch_id, first_id, last_id)
SELECT batch_id, first_id, last_id FROM job_batches ORDER BY first_id;

-- Every job gets a ref, also one whose batch no range held (a row written by hand, or by a process
-- older than 028 on the same file: what recount repaired until now).
INSERT INTO job_batches_030 (batch_id, first_id, last_id)
SELECT batch_id, min(id), max(id) FROM jobs WHERE true GROUP BY batch_id
ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id);

DROP TABLE job_batches;
ALTER TABLE job_batches_030 RENAME TO job_batches;

ALTER TABLE jobs ADD COLUMN batch_ref INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET batch_ref = (SELECT ref FROM job_batches AS b WHERE b.batch_id = jobs.batch_id);
ALTER TABLE jobs DROP COLUMN batch_id;
