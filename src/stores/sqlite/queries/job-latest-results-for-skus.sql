-- As job-latest-results.sql, for the SKUs of :skus (a JSON array) only.
SELECT sku, model_id, method, id AS job_id, finished_at, result
  FROM jobs
 WHERE id IN (SELECT max(id) FROM jobs
               WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId) AND status = 'completed'
                 AND sku IN (SELECT value FROM json_each(:skus))
               GROUP BY sku, model_id)
 ORDER BY sku, model_id;
