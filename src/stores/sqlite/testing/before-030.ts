/**
 * Takes a migrated file back to before 030: jobs hold batch_id and dataset_id (as columns added
 * last here, not in their places of 001: 030 copies by name), the three dataset indexes keyed by
 * dataset_id, job_batches in 028's shape, no job_datasets; and without what came after 030
 * (035's index, 040's, 042's, 043's, 044's and 045's tables).
 */
export const before030 = `DELETE FROM schema_migrations WHERE version >= 30;
  DROP INDEX actuals_revisions_dataset;
  DROP TABLE worker_waiting;
  DROP TABLE snapshot_names;
  DROP TABLE snapshot_item_status;
  DROP TABLE retry_marks;
  DROP TABLE idempotency_keys;
  DROP INDEX jobs_work; DROP INDEX jobs_dataset_open; DROP INDEX jobs_dataset_newest;
  ALTER TABLE jobs ADD COLUMN dataset_id TEXT;
  UPDATE jobs SET dataset_id = (SELECT dataset_id FROM job_datasets AS d WHERE d.ref = jobs.dataset_ref);
  ALTER TABLE jobs DROP COLUMN dataset_ref;
  DROP TABLE job_datasets;
  CREATE INDEX jobs_work ON jobs (dataset_id, sku, model_id, method, status);
  CREATE INDEX jobs_dataset_open ON jobs (dataset_id) WHERE status IN ('pending', 'running');
  CREATE INDEX jobs_dataset_newest ON jobs (dataset_id, id);
  ALTER TABLE jobs ADD COLUMN batch_id TEXT NOT NULL DEFAULT '';
  UPDATE jobs SET batch_id = (SELECT batch_id FROM job_batches AS b WHERE b.ref = jobs.batch_ref);
  ALTER TABLE jobs DROP COLUMN batch_ref;
  CREATE TABLE job_batches_028 (batch_id TEXT PRIMARY KEY, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO job_batches_028 SELECT batch_id, first_id, last_id FROM job_batches;
  DROP TABLE job_batches; ALTER TABLE job_batches_028 RENAME TO job_batches;`;
