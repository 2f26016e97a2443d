import pg from 'pg';
import { afterEach } from 'vitest';
import type { Store } from '../store.js';
import { openPostgresStore } from './postgres-store.js';
import { createPostgresTestSchema, type PostgresTestSchema } from './postgres-test-schema.js';

/**
 * What the PostgreSQL test files share, inside their describe: a fresh schema per test, stores
 * on it (pool size in the URL), an admin client, and `cleanups` run in reverse after each test
 * (stores closed before their schema is dropped).
 */
export function postgresTestHarness(baseUrl: string) {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  const schema = async (label: string): Promise<PostgresTestSchema> => {
    const db = await createPostgresTestSchema(baseUrl, label);
    cleanups.push(db.drop);
    return db;
  };
  const open = async (url: string, limit = 4): Promise<Store> => {
    const store = await openPostgresStore(`${url}${url.includes('?') ? '&' : '?'}connection_limit=${limit}`);
    cleanups.push(() => store.close());
    return store;
  };
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: baseUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return { cleanups, schema, open, admin };
}
