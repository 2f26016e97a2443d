-- Newest completed job per (sku, model) of a dataset. SQLite fills the bare columns from the
-- row holding max(id); the jobs_work index walks the dataset in (sku, model) order.
SELECT sku, model_id, method, max(id) AS job_id, finished_at, result
  FROM jobs
 WHERE dataset_id = :datasetId AND status = 'completed'
 GROUP BY sku, model_id
 ORDER BY sku, model_id;
