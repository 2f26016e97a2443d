-- release: the claim :token holds is given back (its request was refused or failed), so the key
-- may be sent again. An answered key, or one another claim took over, is left alone.
DELETE FROM idempotency_keys
 WHERE scope = :scope AND key = :key AND token = :token AND status IS NULL;
