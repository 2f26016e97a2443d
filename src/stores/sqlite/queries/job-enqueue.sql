-- enqueue: one new job, `pending`, or `completed` at once when a cached result is reused.
INSERT INTO jobs (batch_id, dataset_id, sku, model_id, method, reason, priority, status, progress,
                  max_attempts, result, settings, input_hash, created_at, updated_at, started_at,
                  finished_at, run_at)
VALUES (:batchId, :datasetId, :sku, :modelId, :method, :reason, :priority, :status, :progress,
        :maxAttempts, :result, :settings, :inputHash, :now, :now, :startedAt, :finishedAt, :now);
