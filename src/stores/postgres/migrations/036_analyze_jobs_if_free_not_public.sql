-- analyze_jobs_if_free() (033) is SECURITY DEFINER: it runs as the role that ran the migrations,
-- the owner of jobs. PostgreSQL gives EXECUTE on a new function to PUBLIC, so every role that can
-- reach the schema (USAGE; on `public`, every role of the database) could call it: ANALYZE jobs
-- as its owner whenever the statistics look stale, and, called in a transaction it then keeps open,
-- hold the SHARE UPDATE EXCLUSIVE lock on jobs (taken before the statistics are looked at, kept to
-- the caller's commit) for as long as it likes: autovacuum, VACUUM and ANALYZE of the queue table
-- wait all that time, and the enqueues' and the maintenance loop's ANALYZE give up. A read-only
-- role (a dashboard's, a report's) could do that, with no right to write or lock jobs itself.
-- Now the owner may call it, and the roles that could UPDATE jobs when this ran (a non-owner
-- application role: enqueue_jobs() and refreshStatistics call it as the caller). Those may LOCK
-- jobs in any mode already, so nothing is given away. A role given UPDATE on jobs later needs
-- GRANT EXECUTE ON FUNCTION analyze_jobs_if_free() TO it (docs/security.md). The other functions
-- of the schema are SECURITY INVOKER: they do nothing their caller could not do in SQL.
REVOKE EXECUTE ON FUNCTION analyze_jobs_if_free() FROM PUBLIC;
DO $$
DECLARE
  grantee oid;
BEGIN
  FOR grantee IN SELECT DISTINCT a.grantee FROM pg_class AS c, aclexplode(c.relacl) AS a
                  WHERE c.oid = 'jobs'::regclass AND a.privilege_type = 'UPDATE' AND a.grantee <> c.relowner LOOP
    -- grantee 0 is PUBLIC: where everyone may UPDATE jobs, the revoke above gains nothing
    EXECUTE format('GRANT EXECUTE ON FUNCTION analyze_jobs_if_free() TO %s',
                   CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(grantee)) END);
  END LOOP;
END
$$;
