-- The schema's enqueue lock (see job-enqueue.sql), held to the end of the transaction: taken
-- first by enqueue, so that the turns read next (job-turn-bases.sql) stay true until the batch is
-- in, and by requeue, which changes which jobs are pending for a piece of work outside enqueue.
-- The enqueue's settings ride on it, for this transaction only, so a one-job enqueue (the first
-- part of a job's pickup time) pays no round trip for them: see job-enqueue-settings.sql for why
-- each is set (a new dataset's INSERT, which comes before this lock, sends that file instead).
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue')),
       set_config('work_mem', '64MB', true), set_config('jit', 'off', true);
