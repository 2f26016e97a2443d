-- Folds the histogram rows of connections that have gone (see fold_job_durations in 012_job_durations.sql).
SELECT fold_job_durations();
