import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jobs } from '../../queue/testing/store-fixtures.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/**
 * Who may run the schema's SECURITY DEFINER function (analyze_jobs_as_owner, migrations/033 as
 * analyze_jobs_if_free; EXECUTE taken from PUBLIC by 036, renamed behind an invoker wrapper by
 * 037): the owner and the roles that could write jobs when 036 ran, not a role that may only read;
 * any other caller of analyze_jobs_if_free() gets false, nothing analyzed or locked, never an
 * error (an enqueue must not fail on it). Roles are the cluster's, not the schema's: each test
 * makes its own, with a random name, and drops them after its schema.
 */
const baseUrl = postgresTestUrl('PostgreSQL privileges');

if (baseUrl) {
  describe('PostgreSQL privileges', () => {
    const { cleanups, schema, open, admin } = postgresTestHarness(baseUrl);

    /** A role without login (the admin session takes it with SET ROLE), dropped after the test's schema. */
    const role = async (label: string) => {
      const name = `skucast_${label}_${randomBytes(4).toString('hex')}`;
      await admin((c) => c.query(`CREATE ROLE ${name} NOLOGIN`));
      cleanups.push(() => admin(async (c) => {
        await c.query(`DROP OWNED BY ${name}`);
        await c.query(`DROP ROLE ${name}`);
      }).then(() => undefined));
      return name;
    };

    /** analyze_jobs_if_free() called as `as` (committed: an ANALYZE it made stays), its answer, or the error's message. */
    const callAs = (as: string, schemaName: string) => admin(async (c) => {
      await c.query('BEGIN');
      try {
        await c.query(`SET LOCAL ROLE ${as}`);
        const { ok } = (await c.query<{ ok: boolean }>(`SELECT ${schemaName}.analyze_jobs_if_free() AS ok`)).rows[0];
        await c.query('COMMIT');
        return ok;
      } catch (error) {
        await c.query('ROLLBACK');
        return (error as Error).message;
      }
    });

    it('a role that may only read jobs gets false from analyze_jobs_if_free (no ANALYZE as the owner, no lock held on jobs), as does an application role granted after 036 (its enqueues skip the ANALYZE, as when the lock is taken, rather than fail); the owner and a role that could UPDATE jobs before 036 analyze', async (context) => {
      const mayCreateRoles = await admin(async (c) => (await c.query<{ ok: boolean }>(
        'SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user')).rows[0]?.ok === true);
      if (!mayCreateRoles) {
        const why = 'the privileges check needs a DATABASE_URL whose role may create roles';
        // CI's DATABASE_URL is the postgres superuser's, as for every PostgreSQL suite
        if (process.env.CI === 'true') throw new Error(`${why}; CI=true refuses to skip it`);
        console.warn(`*** SKIPPED: ${why} ***`);
        context.skip();
      }
      const reader = await role('reader');
      const app = await role('app');
      const late = await role('late');
      const db = await schema('privileges');
      const store = await open(db.url);
      await store.migrate();
      // 2,500 waiting jobs and no statistics yet: an ANALYZE is due (jobs_statistics_hide)
      await store.enqueue(jobs(2500, { datasetId: 'a' }), { batchId: 'a', supersede: false });
      await admin((c) => c.query(`GRANT USAGE ON SCHEMA ${db.schema} TO ${reader}, ${app};
        GRANT SELECT ON ALL TABLES IN SCHEMA ${db.schema} TO ${reader};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${db.schema} TO ${app};`));
      // The schema as 033 to 035 left it, the application role's grants made then: 036 and 037 run on it.
      await admin((c) => c.query(`DELETE FROM ${db.schema}.schema_migrations WHERE version IN (36, 37);
        DROP FUNCTION ${db.schema}.analyze_jobs_if_free();
        ALTER FUNCTION ${db.schema}.analyze_jobs_as_owner() RENAME TO analyze_jobs_if_free;
        GRANT EXECUTE ON FUNCTION ${db.schema}.analyze_jobs_if_free() TO PUBLIC;`));
      await store.migrate();
      await admin((c) => c.query(`GRANT USAGE ON SCHEMA ${db.schema} TO ${late};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${db.schema} TO ${late};`));

      // Neither an error nor the lock: the reader's transaction would otherwise hold jobs' SHARE UPDATE EXCLUSIVE lock.
      const lockedBy = (as: string) => admin(async (c) => {
        await c.query('BEGIN');
        try {
          await c.query(`SET LOCAL ROLE ${as}`);
          await c.query(`SELECT ${db.schema}.analyze_jobs_if_free()`);
          const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND relation = '${db.schema}.jobs'::regclass AND mode = 'ShareUpdateExclusiveLock'`);
          return rows[0].n;
        } finally {
          await c.query('ROLLBACK');
        }
      });
      expect(await callAs(reader, db.schema)).toBe(false);
      expect(await lockedBy(reader)).toBe(0);
      expect(await callAs(late, db.schema)).toBe(false);
      expect(await callAs(app, db.schema)).toBe(true);
      expect(await admin(async (c) => (await c.query<{ ok: boolean }>(`SELECT ${db.schema}.analyze_jobs_if_free() AS ok`)).rows[0].ok)).toBe(false); // analyzed just now
      const grants = await admin((c) => c.query<{ grantee: string }>(
        `SELECT grantee FROM information_schema.routine_privileges WHERE routine_schema = $1 AND routine_name = 'analyze_jobs_as_owner' ORDER BY grantee`, [db.schema]));
      expect(grants.rows.map((r) => r.grantee)).not.toContain('PUBLIC');
      expect(grants.rows.map((r) => r.grantee)).toContain(app);
      expect(grants.rows.map((r) => r.grantee)).not.toContain(reader);
    });
  });
} else {
  describe.skip('PostgreSQL privileges (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
