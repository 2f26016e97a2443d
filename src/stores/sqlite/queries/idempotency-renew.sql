-- renew: the claim :token holds is alive (its request is still at work): its age starts again, so
-- that no other request takes over a key whose work runs past the in-flight bound. 0 rows: it
-- lost the key (taken over, pruned) or it was answered.
UPDATE idempotency_keys
   SET claimed_at = :now
 WHERE scope = :scope AND key = :key AND token = :token AND status IS NULL;
