-- The duration histogram (012_job_durations.sql), summed over the connections that wrote.
SELECT model_id, outcome, bucket, sum(n)::float8 AS n, sum(sum_ms)::float8 AS sum_ms
  FROM job_durations
 GROUP BY model_id, outcome, bucket;
