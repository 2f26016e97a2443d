-- record: the answer of the claim :token still holds (in flight). 0 rows: it lost the key (taken
-- over after it expired, or pruned), and records nothing.
UPDATE idempotency_keys
   SET fingerprint = :fingerprint, status = :status, content_type = :contentType, location = :location, body = :body
 WHERE scope = :scope AND key = :key AND token = :token AND status IS NULL;
