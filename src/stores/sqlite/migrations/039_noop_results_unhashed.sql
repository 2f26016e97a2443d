-- A `--handler noop` worker (benchmarks) pointed at a real database completed forecast jobs with
-- {"noop":true,...} under their input hash, and enqueue's reuse copied that into every later job
-- with the same hash: the SKU's forecast never came back. The noop handler now refuses such jobs
-- (noop-handler.ts); this forgets the hash of the results it already stored, so they are never
-- reused and a settings change or edit queues that work again (unmet-work.ts compares hashes).
-- input_hash is tested before result is read (result is the row's last column, often overflow).
UPDATE jobs SET input_hash = NULL
 WHERE input_hash IS NOT NULL AND status = 'completed' AND result LIKE '{"noop":true%';
