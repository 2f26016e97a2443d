-- Whether a batch's id range holds only the batch's own rows, as enqueue wrote it (the range's
-- length then: a widening by a process older than 046 leaves it, and it no longer matches), or
-- maybe others' too (0): a batch id used again widens the range over the batches between, and `skucast
-- doctor` widens one over rows written by hand. A batch's summary counts a range of its own through
-- the narrow partial indexes (job-batch-counts.sql) instead of reading its rows, which the results
-- make wide: a finished 50,000-job batch of forecasts 168 ms -> 2.8 ms a summary
-- (bench:batch-summary), which `skucast import --watch` polls twice a second. Ranges from before
-- this migration are not known to be their own: 0.
ALTER TABLE job_batches ADD COLUMN own_range INTEGER NOT NULL DEFAULT 0;
