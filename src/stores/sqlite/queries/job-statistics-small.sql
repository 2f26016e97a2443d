-- close, after PRAGMA optimize: forgets the statistics of a jobs table that held fewer rows than
-- one complete statement's leases (256) when it was analyzed: a new database, or one drained and
-- pruned (optimize analyzes a table that is new or shrank). They would outlive the handful: with
-- "3 rows" the planner runs job-complete.sql as a scan of every job for each statement of 8 leases
-- and more. Without statistics it takes the table for large, as on every new file until its first
-- close, and the next close analyzes it again.
DELETE FROM sqlite_stat1
 WHERE tbl = 'jobs'
   AND (SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'jobs') < 256;
