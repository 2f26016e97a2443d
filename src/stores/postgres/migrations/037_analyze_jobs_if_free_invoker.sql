-- 036 took EXECUTE on the SECURITY DEFINER analyze_jobs_if_free() (033) from PUBLIC and gave it to
-- the roles that could UPDATE jobs when it ran. A role granted its table privileges later (an
-- install whose migrations ran before the operator's GRANTs) then met `permission denied` inside
-- enqueue_jobs() and the workers' statistics refresh: an ANALYZE that is only ever taken when free
-- became a failed enqueue. So the definer body is renamed analyze_jobs_as_owner() (its EXECUTE,
-- PUBLIC's taken and 036's grants, goes with it), and analyze_jobs_if_free() becomes a SECURITY
-- INVOKER wrapper that answers false, analyzing and locking nothing, to a caller without EXECUTE
-- on it: what it already answers when the lock is taken. enqueue_jobs() and job-statistics-refresh
-- call it by name, unchanged. A session whose cached plan still names the old function calls the
-- renamed one: the same body, under the same grants.
ALTER FUNCTION analyze_jobs_if_free() RENAME TO analyze_jobs_as_owner;

CREATE FUNCTION analyze_jobs_if_free() RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT has_function_privilege(format('%I.analyze_jobs_as_owner()', current_schema()), 'EXECUTE') THEN
    RETURN false;
  END IF;
  RETURN analyze_jobs_as_owner();
END
$$;
