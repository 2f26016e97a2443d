-- enqueue: new pending jobs (reuse and supersede then run once over the whole batch).
-- The adapter repeats the VALUES tuple to insert up to 100 rows per statement: binding is the
-- hot path of a 50,000-job enqueue. Positional parameters, in this order per row; what every row
-- of a batch shares (its batch id and the time) is bound once per statement (:batchId, :now):
-- 10 values a row instead of 14: about 15% of the bare insert's CPU, 0 to 12% of a whole
-- enqueue's, within the shared machine's noise (docs/deploy.md).
INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, max_attempts,
                  settings, input_hash, created_at, updated_at, run_at, turn)
SELECT :batchId, column1, column2, column3, column4, column5, column6, 'pending', column7,
       column8, column9, :now, :now, :now, column10
  FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?));
