-- enqueue: the batch's id range (migration 028), widened when a batch id is used again.
INSERT INTO job_batches (batch_id, first_id, last_id) VALUES (:batchId, :firstId, :lastId)
ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id);
