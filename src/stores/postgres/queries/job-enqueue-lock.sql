-- enqueue's turn, for a transaction that changes which jobs are pending for a piece of work
-- outside job-enqueue.sql (requeue): the same advisory lock, held until the transaction ends.
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
