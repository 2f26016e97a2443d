-- A job's row, its batch id read back by the ref it holds (migration 030).
SELECT *, (SELECT batch_id FROM job_batches AS b WHERE b.ref = jobs.batch_ref) AS batch_id FROM jobs WHERE id = :id;
