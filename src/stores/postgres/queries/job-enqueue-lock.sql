-- enqueue: the schema's enqueue lock (see job-enqueue.sql), taken first so that the turns read
-- next (job-turn-bases.sql) stay true until the batch is in. Held to the end of the transaction.
-- work_mem for this transaction only: the INSERT of a 100,000-job batch sorts its input, and the
-- default 4 MB spilled that sort to disk.
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue')), set_config('work_mem', '64MB', true);
