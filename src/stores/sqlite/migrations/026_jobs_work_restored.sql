-- Restores jobs_work and jobs_sku as 001 and 008 made them, on a file that ran the 023 merged on
-- 2026-12-03 and reverted the same day (jobs_work keyed by SKU first without status, no jobs_sku,
-- a jobs_latest index): its schema_migrations holds 23, and nothing undid its indexes. On such a
-- file supersede, requeue and prune read every finished job of the same work. Every other file
-- rebuilds jobs_work once to the same definition (a second or two per million jobs, under the
-- migration's write lock); jobs_sku and jobs_latest are untouched where they are already right.
DROP INDEX IF EXISTS jobs_latest;
DROP INDEX jobs_work;
CREATE INDEX jobs_work ON jobs (dataset_id, sku, model_id, method, status);
CREATE INDEX IF NOT EXISTS jobs_sku ON jobs (sku);
