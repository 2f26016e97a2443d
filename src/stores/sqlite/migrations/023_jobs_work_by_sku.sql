-- Bulk enqueue: one index fewer, and cheaper key comparisons in the one that stays. jobs_work was
-- keyed (dataset_id, sku, model_id, method, status): an import's rows all share their dataset, so
-- every comparison of an index insert matched the dataset's text before reaching the SKU, through
-- SQLite's general multi-column compare; and jobs_sku (008) held each SKU a second time. Keyed by
-- SKU first, one index serves the ?sku= filter (jobs_sku's use), supersede, requeue and prune
-- ("a newer job of the same work"), and most comparisons end at the first column.
-- Status leaves the key: claim and complete no longer move a job's entry (two index rewrites a job
-- on the drain's path). Supersede and requeue check status on the rows the seek finds: the same
-- work's jobs, a few per SKU and model (prune keeps the newest completed one).
-- The reads that came by dataset first: latestResults has jobs_latest, completed jobs only, which an
-- enqueue (pending rows) never writes; "is a job of the dataset open" and its newest job have had
-- jobs_dataset_open and jobs_dataset_newest since 013.
DROP INDEX jobs_sku;
DROP INDEX jobs_work;
CREATE INDEX jobs_work ON jobs (sku, dataset_id, model_id, method);
CREATE INDEX jobs_latest ON jobs (dataset_id, sku, model_id) WHERE status = 'completed';
