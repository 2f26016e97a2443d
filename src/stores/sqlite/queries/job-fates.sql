-- jobFates: for the SKUs of :skus (a JSON array), the newest job per (sku, model, method) whatever
-- its status (a cancelled one too: it makes an older failure history) and every pending or running
-- job. What forecasts.csv says of a SKU without a forecast; no settings, no result. Per method, as
-- job-work-inputs.sql keeps failures: a newer job under another method must not hide a failure of this one.
SELECT sku, model_id, method, status, input_hash
  FROM jobs
 WHERE id IN (SELECT max(id) FROM jobs
               WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId)
                 AND sku IN (SELECT value FROM json_each(:skus))
               GROUP BY sku, model_id, method)
UNION ALL
SELECT sku, model_id, method, status, input_hash
  FROM jobs
 WHERE dataset_ref = (SELECT ref FROM job_datasets WHERE dataset_id = :datasetId)
   AND sku IN (SELECT value FROM json_each(:skus)) AND status IN ('pending', 'running');
