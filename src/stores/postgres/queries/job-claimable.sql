-- claimable: is a pending job's run_at due? Through the claim index (run_at rides in it), never
-- the counters. The ORDER BY is the claim index's own: it holds the plan to that index whatever
-- the statistics say about status. Without it, statistics taken while a large enqueue was pending
-- (the store analyzes after one) made the planner expect most rows pending and read the whole
-- table from the start instead, past every completed job (3-4 ms of server CPU per call with
-- 20,000 drained jobs, against 0.1 ms through the index), once a second from each idle worker's
-- backstop poll. Only when the statistics say no job's run_at has come (the warm-up's :now of 0)
-- may a one-off plan take another index and sort, as before; the prepared statement's generic
-- plan, used from its sixth call on a connection, keeps to this index.
SELECT 1 AS due FROM jobs WHERE status = 'pending' AND run_at <= :now ORDER BY priority, turn, id LIMIT 1;
