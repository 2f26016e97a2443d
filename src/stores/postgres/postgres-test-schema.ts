import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parsePostgresUrl } from './postgres-connection.js';

/**
 * A fresh, empty schema on the database of `baseUrl` (tests and benchmarks: DATABASE_URL), and
 * the URL that puts a store in it. Schemas are cheap to create and drop, need no CREATEDB right,
 * and keep the tests of one run apart inside the one database CI creates. `drop()` removes it
 * with everything in it; close the stores on it first.
 */
export interface PostgresTestSchema {
  url: string;
  schema: string;
  drop(): Promise<void>;
}

export async function createPostgresTestSchema(baseUrl: string, label = 'test'): Promise<PostgresTestSchema> {
  const base = parsePostgresUrl(baseUrl);
  const tag = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30);
  const schema = `skucast_${tag}_${randomBytes(5).toString('hex')}`;
  await withClient(base.connectionString, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(base.connectionString);
  url.searchParams.set('schema', schema);
  return {
    url: url.href,
    schema,
    drop: () => withClient(base.connectionString, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}

async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The DATABASE_URL tests should use, or null to skip. Skipping is loud, and under CI=true it is
 * refused: CI must run the PostgreSQL suites, so a missing DATABASE_URL fails there.
 */
export function postgresTestUrl(what: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//i.test(url)) return url;
  if (env.CI === 'true') {
    throw new Error(`${what}: DATABASE_URL (postgres://...) must be set under CI=true; .ci/run creates a database and sets it`);
  }
  console.warn(`\n*** SKIPPED ${what}: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it ***\n`);
  return null;
}
