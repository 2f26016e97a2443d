-- enqueue: settings for this transaction only, before the batch's INSERT. A new dataset's jobs go
-- in before the enqueue lock is taken, so this file sets them there; every other enqueue takes the
-- lock first, and job-enqueue-lock.sql sets the same two in the same statement.
-- work_mem: the INSERT of a 100,000-job batch sorts its input, and the default 4 MB spilled to disk.
-- jit off: the per-row reuse probe (a LATERAL join) puts a 100,000-job INSERT's estimated cost
-- past jit_inline_above_cost and jit_optimize_above_cost, and compiling it took about 200 ms of a
-- 2 s statement (EXPLAIN ANALYZE: "JIT: Inlining 55 ms, Optimization 90 ms, Emission 65 ms") to
-- speed up nothing: the work is in the heap and index inserts, not in expressions.
SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true);
