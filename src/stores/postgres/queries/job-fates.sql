-- jobFates: for the SKUs of :skus, the newest job per (sku, model) whatever its status (a cancelled
-- one too: it makes an older failure history) and every pending or running job. What forecasts.csv
-- says of a SKU without a forecast; no settings, no result.
(SELECT DISTINCT ON (sku, model_id) sku, model_id, status, input_hash
   FROM jobs
  WHERE dataset_id = :datasetId AND sku = ANY (:skus::text[])
  ORDER BY sku, model_id, id DESC)
UNION ALL
SELECT sku, model_id, status, input_hash
  FROM jobs
 WHERE dataset_id = :datasetId AND sku = ANY (:skus::text[]) AND status IN ('pending', 'running');
