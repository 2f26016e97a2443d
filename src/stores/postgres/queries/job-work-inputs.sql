-- workInputs: what each (sku, model) of a dataset already has, by input hash, without reading a
-- result: its newest completed job (the one job-latest-results.sql reads: the forecast shown), its
-- newest failed job (a failure for the current input is not work a click would fix) and its pending
-- or running jobs. A settings change queues only the work neither covers. settings and created_at
-- compare a job without a hash (it may borrow the pooled profile) with the current settings and series.
-- Failures per method: a newer failure under another method must not hide one at this input.
SELECT id, sku, model_id, method, status, input_hash, settings, created_at
  FROM (SELECT DISTINCT ON (sku, model_id, status, failed_method) id, sku, model_id, method, status, input_hash, settings, created_at
          FROM (SELECT id, sku, model_id, method, status, input_hash, settings, created_at,
                       CASE WHEN status = 'failed' THEN method END AS failed_method
                  FROM jobs
                 WHERE dataset_id = :datasetId AND status IN ('completed', 'failed')) AS finished
         ORDER BY sku, model_id, status, failed_method, id DESC) AS newest
UNION ALL
SELECT id, sku, model_id, method, status, input_hash, settings, created_at
  FROM jobs
 WHERE dataset_id = :datasetId AND status IN ('pending', 'running');
