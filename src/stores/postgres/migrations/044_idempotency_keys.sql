-- Idempotency-Key (docs/http-api.md): a key an integrator sends with a POST that creates things
-- (POST /api/jobs, an import, an actuals append) is claimed here before the work, then holds the
-- 2xx answer sent, to send again to a retry of the same request (src/queue/idempotency-store.ts).
-- One row per (scope, key): scope is the method and path; the primary key is what lets exactly one
-- of concurrent claims through (idempotency-claim.sql, INSERT ... ON CONFLICT). `token` fences the
-- record and the release to the claim holding the key. status NULL: in flight.
-- claimed_at (epoch ms, the database's clock as leases) ages the claim (5 minutes in flight, then
-- taken over: its holder died) and the answer (24 hours, then pruned by the workers' maintenance).
-- A table of its own: no older statement reads it.
CREATE TABLE idempotency_keys (
  scope        text    NOT NULL,
  key          text    NOT NULL,
  token        text    NOT NULL,
  claimed_at   bigint  NOT NULL,
  fingerprint  text,
  status       integer,
  content_type text,
  location     text,
  body         text,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
