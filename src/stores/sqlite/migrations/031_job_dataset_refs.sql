-- A job holds its dataset as an integer ref into job_datasets, not as the dataset's id text (19
-- bytes and a header byte, in the row and in each of the three indexes keyed by it: jobs_work,
-- jobs_dataset_open, jobs_dataset_newest). Per 50,000-job enqueue that was about 850 of 3,680 pages
-- written, to the WAL and again at the checkpoint (docs/deploy.md, "A batch and a dataset as
-- integer refs"). Reads get the dataset id back by the ref, a rowid seek (job-rows.ts,
-- jobColumns); filters by dataset look the ref up once. A ref is never reused: job_datasets keeps
-- a row for every dataset id a job ever held (a few dozen bytes each). Not a rolling upgrade:
-- code older than 031 reads and writes dataset_id, which is gone; stop the old processes first.
CREATE TABLE job_datasets (
  ref        INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset_id TEXT    NOT NULL UNIQUE
);

INSERT INTO job_datasets (dataset_id)
SELECT dataset_id FROM jobs WHERE dataset_id IS NOT NULL GROUP BY dataset_id ORDER BY min(id);

DROP INDEX jobs_work;
DROP INDEX jobs_dataset_open;
DROP INDEX jobs_dataset_newest;

ALTER TABLE jobs ADD COLUMN dataset_ref INTEGER;
UPDATE jobs SET dataset_ref = (SELECT ref FROM job_datasets AS d WHERE d.dataset_id = jobs.dataset_id)
 WHERE dataset_id IS NOT NULL;
ALTER TABLE jobs DROP COLUMN dataset_id;

CREATE INDEX jobs_work ON jobs (dataset_ref, sku, model_id, method, status);
CREATE INDEX jobs_dataset_open ON jobs (dataset_ref) WHERE status IN ('pending', 'running');
CREATE INDEX jobs_dataset_newest ON jobs (dataset_ref, id);
