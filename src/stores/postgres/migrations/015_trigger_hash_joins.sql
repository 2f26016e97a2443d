-- The statement triggers that join a statement's old and new rows (transition tables, which have
-- no statistics and no index) were planned as nested loops: for a batch of 256 completes the
-- durations trigger compared 256 x 256 rows and took 27 ms of a 33 ms statement, the largest
-- single cost of draining the queue (EXPLAIN ANALYZE of job-complete.sql, 20,000 jobs waiting).
-- A hash join does the same in under 1 ms. Set for the function only: nothing else's plans change.
ALTER FUNCTION jobs_durations_update() SET enable_nestloop = off;
ALTER FUNCTION jobs_counts_update() SET enable_nestloop = off;
