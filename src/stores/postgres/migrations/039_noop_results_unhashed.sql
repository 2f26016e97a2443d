-- A `--handler noop` worker (benchmarks) pointed at a real database completed forecast jobs with
-- {"noop":true,...} under their input hash, and enqueue_jobs()'s reuse copied that into every
-- later job with the same hash: the SKU's forecast never came back. The noop handler now refuses
-- such jobs (noop-handler.ts); this forgets the hash of the results it already stored, so they
-- are never reused and a settings change or edit queues that work again (as SQLite's 039).
-- A noop result is about 150 bytes; a forecast's is kilobytes, often TOASTed. pg_column_size reads
-- a TOASTed value's size from its pointer, so the forecasts are never fetched and parsed here.
UPDATE jobs SET input_hash = NULL
 WHERE input_hash IS NOT NULL AND status = 'completed'
   AND pg_column_size(result) < 1024 AND result::text LIKE '{"noop":true%';
