-- After a large enqueue that left the statistics stale (job-statistics-stale.sql): fresh planner
-- statistics at once. Until autovacuum gets to it (up to a minute), a table that grew from 0 to
-- 50,000 rows looks empty to the planner, which then picks plans that read every row (a listJobs
-- page went from 0.06 ms to 300 ms).
ANALYZE jobs;
