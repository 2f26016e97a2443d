-- enqueue: the batch's rows counted once (inserts have no per-row trigger; see migration 003).
UPDATE job_counts SET n = n + :inserted WHERE status = 'pending';
