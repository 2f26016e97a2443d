-- One index fewer for every enqueue and every claim to write. jobs_active_work (sku, model_id,
-- method) WHERE status IN ('pending', 'running') served only supersede (job-supersede.sql), whose
-- join compared dataset_id with IS NOT DISTINCT FROM, which no index can seek. Supersede now joins
-- on dataset_id = for jobs of a dataset and on dataset_id IS NULL for the others, both seeks in
-- jobs_work (dataset_id, sku, model_id, method, status), which latestResults, requeue and prune
-- need anyway. A 100,000-job enqueue's server CPU went from about 1.9 to 1.6 s with it gone
-- (jit off in both; min of 6 interleaved runs, load 18 to 44: docs/deploy.md).
DROP INDEX jobs_active_work;
