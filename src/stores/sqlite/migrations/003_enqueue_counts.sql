-- Bulk enqueue adds its rows to job_counts once per call (job-enqueue-count.sql) instead of a
-- trigger per inserted row: the per-row trigger halved enqueue throughput. Rows enter `jobs`
-- only through enqueue, inside the same transaction, so the counts stay exact.
DROP TRIGGER jobs_counts_insert;
