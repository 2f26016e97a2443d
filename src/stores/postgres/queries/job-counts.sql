-- summary without a filter: counters kept exact by the jobs triggers (one row per connection
-- that wrote), summed here: a few dozen rows, never a scan of jobs. progress_sum is in hundredths.
SELECT status, sum(n)::bigint AS n, sum(progress_sum)::float8 / 100 AS progress_sum,
       (SELECT sum(version)::bigint FROM queue_version) AS version
  FROM job_counts
 GROUP BY status;
