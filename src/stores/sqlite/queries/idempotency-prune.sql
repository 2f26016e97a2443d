-- prune: keys claimed before :before (24 hours ago: answered or not) are forgotten.
-- :before is the worker's clock (maintenance.ts), claimed_at the store's (the database's on
-- PostgreSQL): a skew between them moves the day by as much, harmless at 24 hours.
DELETE FROM idempotency_keys WHERE claimed_at < :before;
