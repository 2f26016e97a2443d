import type pg from 'pg';
import { inTransaction } from './checked-out-client.js';
import { toStoreError, type PostgresSettings } from './postgres-connection.js';
import { refuseNewerSchema } from '../newer-schema.js';
import { loadSqlFiles } from '../sql-files.js';

/**
 * Applies the numbered files of migrations/ that this schema has not seen, in order, each
 * recorded in schema_migrations, all in one transaction (PostgreSQL DDL is transactional: a
 * failing file leaves nothing half-applied). A transaction-level advisory lock keyed on the
 * schema serializes processes that start at once: the first applies, the others wait on the
 * lock and then find nothing left to do. The lock goes with the transaction, even if the
 * process dies holding it. Returns the names it applied; refuses a schema a newer release
 * migrated (newer-schema.ts).
 */
export async function migratePostgres(pool: pg.Pool, settings: PostgresSettings, now: () => number = Date.now): Promise<string[]> {
  const migrations = [...loadSqlFiles('postgres', 'migrations')].map(([name, sql]) => {
    const match = /^(\d+)_/.exec(name);
    if (!match) throw new Error(`migration file name must start with a number: ${name}.sql`);
    return { version: Number(match[1]), name, sql };
  });
  migrations.sort((a, b) => a.version - b.version);

  return inTransaction(pool, 'BEGIN', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`skucast.migrate.${settings.schema}`]);
    // The schema name was checked against a strict identifier pattern when the URL was parsed.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${settings.schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
    const rows = (await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations')).rows;
    refuseNewerSchema(rows, migrations);
    const seen = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (seen.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
      applied.push(m.name);
    }
    return applied;
  }, (error) => toStoreError(error, settings));
}
