-- prune: keys claimed before :before (24 hours ago: answered or not) are forgotten.
DELETE FROM idempotency_keys WHERE claimed_at < :before;
