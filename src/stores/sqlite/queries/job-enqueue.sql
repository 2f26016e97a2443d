-- enqueue: new pending jobs (reuse and supersede then run over id ranges of the batch: sqlite-enqueue.ts).
-- The adapter repeats the VALUES tuple to insert up to 2,048 rows per statement: binding is the
-- hot path of a 50,000-job enqueue. Per row only what differs between the jobs of one import
-- (SKU, model, input hash, turn), positional in this order; what a run of rows shares (dataset's ref,
-- method, reason, priority, attempts, settings, and the batch's ref and time) is bound once per
-- statement: 4 values a row instead of 10 (sqlite-enqueue.ts cuts the batch into such runs).
INSERT INTO jobs (batch_ref, dataset_ref, sku, model_id, method, reason, priority, status, max_attempts,
                  settings, input_hash, created_at, updated_at, run_at, turn)
SELECT :batchRef, :datasetRef, column1, column2, :method, :reason, :priority, 'pending', :maxAttempts,
       :settings, column3, :now, :now, :now, column4
  FROM (VALUES (?, ?, ?, ?));
