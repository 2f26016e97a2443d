/**
 * A fresh database for one test, of the kind the environment asks for: a temp SQLite file by
 * default, or (when DATABASE_URL is a postgres:// URL) a new PostgreSQL database created for the
 * test (a fresh schema) and dropped afterwards. Tests get the environment to hand to processes they start and a
 * way to open the same store in-process, so they stay store-agnostic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type StoreConfig } from '../../src/stores/open-store.js';
import type { Store } from '../../src/stores/store.js';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl, type PostgresTestSchema } from '../../src/stores/postgres/postgres-test-schema.js';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  config: StoreConfig;
  /** DATABASE_PATH or DATABASE_URL for child processes (the other one is blanked). */
  env: Record<string, string>;
  /** `now`: the store's clock (StoreOptions), for tests that move time. */
  open(options?: { now?: () => number }): Promise<Store>;
  cleanup(): Promise<void>;
}

export function wantsPostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^postgres(ql)?:\/\//i.test(env.DATABASE_URL ?? '');
}

/** `kind` forces one store (e.g. the chaos run does both); by default DATABASE_URL decides. */
export async function createTestDatabase(label = 'e2e', kind?: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres' && !wantsPostgres()) throw new Error('a PostgreSQL test database needs DATABASE_URL=postgres://...');
  if (kind === 'postgres' || (kind === undefined && wantsPostgres())) return createPostgresDatabase(label);
  const dir = mkdtempSync(join(tmpdir(), `skucast-${label}-`));
  const databasePath = join(dir, 'queue.db');
  return {
    kind: 'sqlite',
    config: { databasePath },
    env: { DATABASE_PATH: databasePath, DATABASE_URL: '' },
    open: (options) => openStore({ databasePath, ...options }),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(label: string): Promise<TestDatabase> {
  // A schema, not a database: CREATE/DROP DATABASE force a server checkpoint each time, which
  // slows every other suite sharing the server.
  const schema = await createPostgresTestSchema(process.env.DATABASE_URL as string, label);
  const databaseUrl = schema.url;
  return {
    kind: 'postgres',
    config: { databaseUrl },
    env: { DATABASE_URL: databaseUrl, DATABASE_PATH: '' },
    open: (options) => openStore({ databaseUrl, ...options }),
    cleanup: () => schema.drop(),
  };
}

/**
 * The stores a cross-process suite runs on: SQLite always, PostgreSQL too when DATABASE_URL
 * names one. Leaving PostgreSQL out is said loudly, and refused under CI=true.
 */
export function storeKinds(what: string): Array<'sqlite' | 'postgres'> {
  return postgresTestUrl(`${what} on PostgreSQL`) ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh PostgreSQL schema with Skucast's tables in it, and no store left open on it. */
export async function createMigratedPostgresSchema(baseUrl: string, label: string): Promise<PostgresTestSchema> {
  const schema = await createPostgresTestSchema(baseUrl, label);
  const store = await openPostgresStore(schema.url);
  await store.migrate();
  await store.close();
  return schema;
}
