-- Newest completed job per (sku, model) of a dataset; the jobs_work index walks the dataset.
SELECT DISTINCT ON (sku, model_id) sku, model_id, method, id AS job_id, finished_at, result
  FROM jobs
 WHERE dataset_id = :datasetId AND status = 'completed'
 ORDER BY sku, model_id, id DESC;
