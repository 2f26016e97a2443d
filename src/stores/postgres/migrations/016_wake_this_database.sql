-- Targeted wakes name only LISTEN connections of this database. pg_stat_activity lists every
-- backend of the server: a store of the same schema name on another database (staging beside
-- production, a test database) was counted and named too, but a NOTIFY never leaves its database,
-- so a wake naming one of those pids reached no one and its job waited for a backstop poll
-- (014_targeted_wake.sql named the other database's pids 2 times in 3 with one local listener and
-- two remote ones). The count decides targeted against everyone, so it must be local too.
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
  first := nextval('job_wake_turn') % k;
  PERFORM pg_notify('skucast_jobs', schema_name || ':' ||
    array_to_string(ARRAY(SELECT listeners[1 + (first + i) % k] FROM generate_series(0, new_jobs - 1) AS i), ','));
END $$;
