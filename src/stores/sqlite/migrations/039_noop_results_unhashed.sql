-- A `--handler noop` worker (benchmarks) pointed at a real database completed forecast jobs with
-- {"noop":true,...} under their input hash, and enqueue's reuse copied that into every later job
-- with the same hash: the SKU's forecast never came back. The noop handler now refuses such jobs
-- (noop-handler.ts); this forgets the hash of the results it already stored, so they are never
-- reused and a settings change or edit queues that work again (unmet-work.ts compares hashes).
-- octet_length reads a value's size from the record header, so a forecast's result (kilobytes,
-- often on overflow pages) is not read; a noop result is about 150 bytes.
UPDATE jobs SET input_hash = NULL
 WHERE input_hash IS NOT NULL AND status = 'completed'
   AND octet_length(result) < 1024 AND result LIKE '{"noop":true%';
