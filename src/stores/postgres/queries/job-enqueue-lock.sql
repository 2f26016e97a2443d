-- The schema's enqueue lock, held to the end of the transaction: requeue takes it, as enqueue_jobs
-- (migrations/020_enqueue_function.sql) does, because it changes which jobs are pending for a piece
-- of work outside enqueue. The same key as there: hashtext(<schema> || '.enqueue').
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
