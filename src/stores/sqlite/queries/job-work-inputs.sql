-- workInputs: what each (sku, model) of a dataset already has, by input hash, without reading a
-- result: its newest completed job (the one job-latest-results.sql reads: the forecast shown), its
-- newest failed job (a failure for the current input is not work a click would fix) and its pending
-- or running jobs. A settings change queues only the work neither covers. settings and created_at
-- compare a job without a hash (it may borrow the pooled profile) with the current settings and series.
SELECT id, sku, model_id, method, status, input_hash, settings, created_at
  FROM jobs
 WHERE id IN (SELECT max(id) FROM jobs
               WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId) AND (status = 'completed' OR status = 'failed')
               -- failures per method: a newer failure under another method must not hide one at this input
               GROUP BY sku, model_id, status, CASE WHEN status = 'failed' THEN method END)
UNION ALL
SELECT id, sku, model_id, method, status, input_hash, settings, created_at
  FROM jobs
 WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId) AND status IN ('pending', 'running');
