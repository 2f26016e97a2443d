-- claim: a free key (no row), an in-flight claim older than :staleBefore (its holder died) or an
-- answer older than :expiredBefore is taken for :token; a row that is none of these is left as it
-- is and nothing is returned (the caller then reads it: idempotency-read.sql). On SQLite the store
-- runs this and that read in one ctx.write, whose write lock serializes claims: a second claim of
-- the key starts once the first committed, finds its fresh claim and takes nothing, so exactly one
-- gets through.
INSERT INTO idempotency_keys (scope, key, token, claimed_at)
VALUES (:scope, :key, :token, :now)
ON CONFLICT (scope, key) DO UPDATE
   SET token = excluded.token, claimed_at = excluded.claimed_at,
       fingerprint = NULL, status = NULL, content_type = NULL, location = NULL, body = NULL
 WHERE (idempotency_keys.status IS NULL AND idempotency_keys.claimed_at <= :staleBefore)
    OR (idempotency_keys.status IS NOT NULL AND idempotency_keys.claimed_at <= :expiredBefore)
RETURNING token;
