-- refreshStatistics: ANALYZE jobs when the planner's statistics hide finished or open jobs
-- (migrations/033_enqueue_statistics.sql, jobs_statistics_hide: after a drain, statistics taken
-- while the jobs waited made every read of a dataset's latest results walk the finished jobs),
-- and only when the ANALYZE waits for no one (analyze_jobs_if_free). Not when fewer than 1,000
-- rows changed since the last ANALYZE: one more could not change what the statistics say (counters
-- a hand edit left off, a status too rare for the sample), and every worker asks once a minute.
-- true when it analyzed.
SELECT CASE WHEN coalesce((SELECT s.n_mod_since_analyze FROM pg_stat_user_tables AS s
                            WHERE s.relid = 'jobs'::regclass), 0) >= 1000
             AND (jobs_statistics_hide('{completed}') OR jobs_statistics_hide('{pending,running}'))
            THEN analyze_jobs_if_free() ELSE false END AS analyzed;
