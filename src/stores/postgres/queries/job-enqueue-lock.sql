-- enqueue: one at a time per schema, until the transaction ends. Two batches for the same work
-- enqueued at once would otherwise not see each other's uncommitted rows and both stay pending;
-- serialized, the later one supersedes the earlier, as on SQLite, and a batch's ids are contiguous.
SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'));
