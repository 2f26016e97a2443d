-- After a large enqueue (:jobs jobs): do the jobs table's planner statistics still describe it?
-- Stale when there are none (reltuples -1), when this enqueue alone is as many jobs as they count
-- (0 after an ANALYZE of an empty or drained table: the planner would take it for empty), or when
-- the table has twice the pages it had at that ANALYZE. Between those, the planner scales the row
-- count by the table's pages itself (rows per page from the statistics, pages read now), and
-- autovacuum (2% of the rows, migrations/003) refreshes the distributions; where autovacuum is off
-- they stay those of the last ANALYZE.
SELECT c.reltuples < 0 OR :jobs::float8 >= c.reltuples
       OR c.relpages::bigint * 2 <= pg_relation_size(c.oid) / current_setting('block_size')::bigint AS stale
  FROM pg_class AS c
 WHERE c.oid = 'jobs'::regclass;
