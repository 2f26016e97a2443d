-- A targeted wake goes to the named LISTEN connections only, each on a channel of its own
-- ('skucast_jobs_<pid>', listened to by that connection alone: postgres-listener.ts), instead of
-- one 'skucast_jobs' notification naming the pids that every listener of the database received.
-- The claim herd was gone since 014_targeted_wake.sql, but not the wake-up herd: with 32 idle
-- worker processes each new job still woke 32 processes to read a payload 31 of them ignored,
-- on the same cores the named one needed for its claim. The server still signals each listening
-- backend of the database at every NOTIFY (that is how PostgreSQL finds who listens), but a
-- backend not listening on the channel sends its client nothing: no socket write, no process woken.
-- The rest is as before: as many new jobs as listeners or more, more than 200, or no listener
-- found, and the plain 'skucast_jobs' '<schema>' wakes everyone; a named process that will not
-- claim passes its wake on to everyone with that plain payload. Workers older than this migration
-- do not listen on their own channel and find the jobs meant for them by their backstop poll (1 s),
-- as they did before 014.
CREATE OR REPLACE FUNCTION wake_claimers(schema_name text, new_jobs bigint) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  listeners integer[];
  k integer;
  first bigint;
BEGIN
  IF new_jobs <= 0 THEN
    RETURN;
  END IF;
  IF new_jobs <= 200 THEN
    SELECT array_agg(pid ORDER BY pid) INTO listeners FROM pg_stat_activity
     WHERE application_name = left('skucast-listen:' || schema_name, 63) AND datname = current_database();
  END IF;
  k := coalesce(array_length(listeners, 1), 0);
  IF k = 0 OR new_jobs >= k THEN
    PERFORM pg_notify('skucast_jobs', schema_name);
    RETURN;
  END IF;
  -- new_jobs < k: round robin names new_jobs different listeners, one notification each.
  first := nextval('job_wake_turn') % k;
  PERFORM pg_notify('skucast_jobs_' || listeners[1 + (first + i) % k], schema_name)
     FROM generate_series(0, new_jobs - 1) AS i;
END $$;
