-- Idempotency-Key (docs/http-api.md): a key an integrator sends with a POST that creates things
-- (POST /api/jobs, an import, an actuals append) is claimed here before the work, then holds the
-- 2xx answer sent, to send again to a retry of the same request (src/queue/idempotency-store.ts).
-- One row per (scope, key): scope is the method and path. `token` fences the record and the release
-- to the claim holding the key. status NULL: in flight (its fingerprint and answer not known yet).
-- claimed_at (epoch ms) ages the claim (5 minutes in flight, then taken over: its holder died) and
-- the answer (24 hours, then pruned by the workers' maintenance, and taken over before that).
CREATE TABLE idempotency_keys (
  scope        TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  token        TEXT    NOT NULL,
  claimed_at   INTEGER NOT NULL,
  fingerprint  TEXT,
  status       INTEGER,
  content_type TEXT,
  location     TEXT,
  body         TEXT,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
