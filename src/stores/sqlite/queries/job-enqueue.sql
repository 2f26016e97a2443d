-- enqueue: new pending jobs (reuse and supersede then run once over the whole batch).
-- The adapter repeats the VALUES tuple to insert up to 100 rows per statement: binding is the
-- hot path of a 50,000-job enqueue. Positional parameters, in this order per row.
INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, max_attempts,
                  settings, input_hash, created_at, updated_at, run_at, turn)
VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?);
