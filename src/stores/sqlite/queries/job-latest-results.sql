-- Newest completed job per (sku, model) of a dataset. The inner query finds each max(id) from the
-- jobs_work index alone (status is in it); only the winning rows are then read, results included.
SELECT sku, model_id, method, id AS job_id, finished_at, result
  FROM jobs
 WHERE id IN (SELECT max(id) FROM jobs
               WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId) AND status = 'completed'
               GROUP BY sku, model_id)
 ORDER BY sku, model_id;
