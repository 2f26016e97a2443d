-- The schema's enqueue lock (see job-enqueue.sql), held to the end of the transaction: taken
-- first by enqueue, so that the turns read next (job-turn-bases.sql) stay true until the batch is
-- in, and by requeue, which changes which jobs are pending for a piece of work outside enqueue.
-- work_mem for this transaction only: the INSERT of a 100,000-job batch sorts its input, and the
-- default 4 MB spilled that sort to disk.
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue')), set_config('work_mem', '64MB', true);
