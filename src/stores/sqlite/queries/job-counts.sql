-- summary without a filter: counters kept exact by the jobs triggers, never a scan.
-- progress_sum is in hundredths of a percent (migration 004).
SELECT status, n, progress_sum / 100.0 AS progress_sum FROM job_counts;
