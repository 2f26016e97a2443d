-- A job write the triggers do not see (a bulk insert): move the ETag's change counter.
UPDATE queue_meta SET version = version + 1 WHERE id = 1;
