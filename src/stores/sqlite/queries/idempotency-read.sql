-- The key's row a claim did not take: in flight (status NULL) or answered.
SELECT status, fingerprint, content_type, location, body
  FROM idempotency_keys
 WHERE scope = :scope AND key = :key;
