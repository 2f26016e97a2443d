-- Folds the counter rows of connections that have gone (see fold_job_counts in 001_jobs.sql).
SELECT fold_job_counts();
