-- A job's row, its batch and dataset ids read back by the refs it holds (migration 030; '' for a
-- batch ref that names no batch, as job-rows.ts batchIdColumn).
SELECT *, coalesce((SELECT batch_id FROM job_batches AS b WHERE b.ref = jobs.batch_ref), '') AS batch_id,
       (SELECT dataset_id FROM job_datasets AS d WHERE d.ref = jobs.dataset_ref) AS dataset_id
  FROM jobs WHERE id = :id;
