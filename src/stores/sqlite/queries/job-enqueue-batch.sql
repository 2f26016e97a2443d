-- enqueue: the batch's ref and id range (migrations 028, 030), before its rows go in: they hold the
-- ref. enqueue holds the write lock, so the range it is given (the next ids, sqlite-enqueue.ts) is
-- the one its rows get, its own (046); a batch id used again widens its range, over others' rows.
-- own_range holds the range's length as written here, not a flag: a process older than 046 widens
-- a range (used again, or its doctor) without clearing it, and the length then no longer matches.
INSERT INTO job_batches (batch_id, first_id, last_id, own_range) VALUES (:batchId, :firstId, :lastId, :lastId - :firstId + 1)
ON CONFLICT (batch_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id), own_range = 0
RETURNING ref;
