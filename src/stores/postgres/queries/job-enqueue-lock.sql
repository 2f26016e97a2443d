-- The schema's enqueue lock (see job-enqueue.sql), held to the end of the transaction: taken
-- first by enqueue, so that the turns read next (job-turn-bases.sql) stay true until the batch is
-- in, and by requeue, which changes which jobs are pending for a piece of work outside enqueue.
-- (The enqueue's work_mem is set by job-enqueue-settings.sql.)
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
