-- enqueue: the batch's ref and id range (migrations 028, 030), before its rows go in: they hold the
-- ref. enqueue holds the write lock, so the range it is given (the next ids, sqlite-enqueue.ts) is
-- the one its rows get; a batch id used again widens its range.
INSERT INTO job_batches (batch_id, first_id, last_id) VALUES (:batchId, :firstId, :lastId)
ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id)
RETURNING ref;
