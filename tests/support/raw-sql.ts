import Database from 'better-sqlite3';
import pg from 'pg';
import { parsePostgresUrl } from '../../src/stores/postgres/postgres-connection.js';
import type { TestDatabase } from './test-database.js';

/**
 * Runs one statement on a test database as an older version (or an operator) left it, on either
 * store: `$1, $2...` placeholders in order (SQLite reads each as ?). For rows no current verb writes,
 * e.g. two snapshots of a dataset named alike before names were unique.
 */
export async function runRawSql(db: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  if (db.kind === 'sqlite') {
    const file = new Database(db.config.databasePath!);
    try {
      file.prepare(sql.replace(/\$\d+/g, '?')).run(...params);
    } finally {
      file.close();
    }
    return;
  }
  const settings = parsePostgresUrl(db.config.databaseUrl!);
  const client = new pg.Client({ connectionString: settings.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${settings.schema}`);
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}
