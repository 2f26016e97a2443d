-- refreshStatistics: ANALYZE jobs when the planner's statistics hide finished or open jobs
-- (migrations/033_enqueue_statistics.sql, jobs_statistics_hide: after a drain, statistics taken
-- while the jobs waited made every read of a dataset's latest results walk the finished jobs),
-- and only when the ANALYZE waits for no one (analyze_jobs_if_free). true when it analyzed.
SELECT CASE WHEN jobs_statistics_hide('{completed}') OR jobs_statistics_hide('{pending,running}')
            THEN analyze_jobs_if_free() ELSE false END AS analyzed;
