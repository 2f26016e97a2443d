/**
 * A fresh database for one test, of the kind the environment asks for: a temp SQLite file by
 * default, or (when DATABASE_URL is a postgres:// URL) a new PostgreSQL database created for the
 * test and dropped afterwards. Tests get the environment to hand to processes they start and a
 * way to open the same store in-process, so they stay store-agnostic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type StoreConfig } from '../../src/stores/open-store.js';
import type { Store } from '../../src/stores/store.js';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  config: StoreConfig;
  /** DATABASE_PATH or DATABASE_URL for child processes (the other one is blanked). */
  env: Record<string, string>;
  open(): Promise<Store>;
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
    open: () => openStore({ databasePath }),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(label: string): Promise<TestDatabase> {
  const { default: pg } = await import('pg');
  const base = new URL(process.env.DATABASE_URL as string);
  const name = `skucast_${label.replace(/\W/g, '_')}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind: 'postgres',
    config: { databaseUrl },
    env: { DATABASE_URL: databaseUrl, DATABASE_PATH: '' },
    open: () => openStore({ databaseUrl }),
    async cleanup() {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
