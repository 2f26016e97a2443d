-- jobFates: for the SKUs of :skus, the newest job per (sku, model, method) whatever its status (a
-- cancelled one too: it makes an older failure history) and every pending or running job. What
-- forecasts.csv says of a SKU without a forecast; no settings, no result. Per method, as
-- job-work-inputs.sql keeps failures: a newer job under another method must not hide a failure of this one.
(SELECT DISTINCT ON (sku, model_id, method) sku, model_id, method, status, input_hash
   FROM jobs
  WHERE dataset_id = :datasetId AND sku = ANY (:skus::text[])
  ORDER BY sku, model_id, method, id DESC)
UNION ALL
SELECT sku, model_id, method, status, input_hash
  FROM jobs
 WHERE dataset_id = :datasetId AND sku = ANY (:skus::text[]) AND status IN ('pending', 'running');
