-- enqueue: is there any completed job with an input hash, i.e. anything reuse could copy (the
-- first entry of jobs_input_hash)? When not, reuse need not walk the batch.
SELECT EXISTS (SELECT 1 FROM jobs WHERE input_hash IS NOT NULL AND status = 'completed') AS reusable;
