-- summary without a filter: counters kept exact by the jobs triggers, never a scan.
SELECT status, n, progress_sum FROM job_counts;
