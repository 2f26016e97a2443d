-- As job-latest-results.sql, for the SKUs of :skus only.
SELECT DISTINCT ON (sku, model_id) sku, model_id, method, id AS job_id, finished_at, result
  FROM jobs
 WHERE dataset_id = :datasetId AND status = 'completed' AND sku = ANY (:skus::text[])
 ORDER BY sku, model_id, id DESC;
