-- workInputs: what each (sku, model) of a dataset already has, by input hash, without reading a
-- result: its newest completed job (the one job-latest-results.sql reads: the forecast shown) and
-- its pending or running jobs. A settings change queues only the work neither covers.
SELECT * FROM (SELECT DISTINCT ON (sku, model_id) sku, model_id, method, status, input_hash
                 FROM jobs
                WHERE dataset_id = :datasetId AND status = 'completed'
                ORDER BY sku, model_id, id DESC) AS newest
UNION ALL
SELECT sku, model_id, method, status, input_hash
  FROM jobs
 WHERE dataset_id = :datasetId AND status IN ('pending', 'running');
