-- The duration histogram (017_job_durations.sql): one row per (model, outcome, bucket).
SELECT model_id, outcome, bucket, n, sum_ms FROM job_durations;
