import { NewerSchemaError } from './newer-schema.js';
import { existsSync } from 'node:fs';
import { makeFolder } from './make-folder.js';
import { dirname, resolve } from 'node:path';
import { parseEnv, settings } from '../config/env.js';
import type { StoreOptions } from '../queue/queue-store.js';
import type { Store } from './store.js';
import type { PostgresStoreOptions } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface StoreConfig {
  /** postgres:// or postgresql:// selects PostgreSQL; any other URL is refused. Unset: SQLite. */
  databaseUrl?: string;
  /**
   * Where databaseUrl came from, for messages: `--database-url` when the flag gave it (a bad URL was
   * reported as DATABASE_URL's although the variable was not even set); default `DATABASE_URL`.
   */
  databaseUrlFrom?: string;
  /** The SQLite file, default data/forecast-jobs.db (its folder is created). */
  databasePath?: string;
  /**
   * SQLite: refuse a file that is not there instead of creating it. For commands that work on a
   * database that must already exist (backup, doctor, export, accuracy, actuals): on a mistyped
   * path a fresh empty file would make an empty backup, a report that all is well, or a "no
   * dataset" error, about a database nobody uses.
   */
  existing?: boolean;
  /** PostgreSQL: the pool size when the URL has no connection_limit (workers: 2; default 10). */
  poolMax?: number;
  /** PostgreSQL: a direct URL for the LISTEN connection when the pool goes through PgBouncer. */
  listenUrl?: string;
  /** PostgreSQL: open and warm every pooled connection before the first wake, keep them open (workers). */
  warmPool?: boolean;
  /** PostgreSQL: told when that warm-up failed (harmless; the worker logs it). */
  onWarmFailure?: (error: unknown) => void;
  /**
   * A schema a newer release migrated past this build: `refuse` (`skucast migrate`: exit 1 naming
   * it) or `warn` (the default: a Node warning on stderr, and onNewerSchema, then run on it, as an
   * older release does during a rolling upgrade or after a rollback of the code; docs/deploy.md).
   */
  newerSchema?: 'refuse' | 'warn';
  /**
   * Told that warning's text, to log it: a log pipeline reads the JSON lines on stdout, and the
   * Node warning alone went to stderr, missing the one warning that matters in a rolling upgrade.
   */
  onNewerSchema?: (message: string) => void;
  /** PostgreSQL: told when the LISTEN connection fails or is lost, and when it is back (the worker logs it). */
  onListenTrouble?: (trouble: { state: 'failed' | 'lost'; error: unknown } | { state: 'listening' }) => void;
  /** PostgreSQL: who connects (`worker:<id>`, `api`, a CLI command's name), shown in pg_stat_activity's application_name. */
  processRole?: string;
  now?: () => number;
}

export const defaultDatabasePath = 'data/forecast-jobs.db';

/**
 * A worker process's PostgreSQL pool when the URL has no connection_limit: a claim and a batch of
 * completes in flight at once (renewals, progress and heartbeats queue behind them for a moment),
 * plus its LISTEN connection: 32 worker processes hold at most 96 connections instead of 352.
 */
export const workerPoolMax = 2;

/** The store's part of the validated settings (src/config/env.ts). */
export function storeConfigFromEnv(env?: NodeJS.ProcessEnv): StoreConfig {
  const { databaseUrl, databasePath, databaseListenUrl } = env ? parseEnv(env) : settings();
  return { databaseUrl, databasePath, listenUrl: databaseListenUrl };
}

/** postgres:// or postgresql:// (any case): the URLs that select the PostgreSQL store. */
export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the configured store and brings its schema up to date (migrate is idempotent). */
export async function openStore(config: StoreConfig = {}): Promise<Store> {
  return (await openStoreMigrated(config)).store;
}

/** openStore, also saying which migrations it applied (`skucast migrate` prints them). */
export async function openStoreMigrated(config: StoreConfig = {}): Promise<{ store: Store; applied: string[] }> {
  const options: StoreOptions = config.now ? { now: config.now } : {};
  let store: Store;
  if (isPostgresUrl(config.databaseUrl)) {
    // The PostgreSQL adapter (and pg) load only when asked for.
    const modulePath = './postgres/postgres-store.js';
    let mod: { openPostgresStore?: (url: string, options: PostgresStoreOptions) => Promise<Store> };
    try {
      mod = await import(modulePath);
    } catch (error) {
      throw new Error(`${config.databaseUrlFrom ?? 'DATABASE_URL'} is a PostgreSQL URL but the PostgreSQL store could not be loaded: ${(error as Error).message}`);
    }
    if (typeof mod.openPostgresStore !== 'function') {
      throw new Error('the PostgreSQL store module does not export openPostgresStore(url, options)');
    }
    store = await mod.openPostgresStore(config.databaseUrl as string, { ...options, poolMax: config.poolMax, listenUrl: config.listenUrl, urlName: config.databaseUrlFrom, warmPool: config.warmPool, onWarmFailure: config.onWarmFailure, onListenTrouble: config.onListenTrouble, processRole: config.processRole });
  } else if (config.databaseUrl) {
    // Falling back to SQLite on a mistyped URL would quietly run against the wrong database.
    throw new Error(
      `${config.databaseUrlFrom ?? 'DATABASE_URL'} must be a postgres:// or postgresql:// URL (got "${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}"); ` +
        'unset it to use SQLite at DATABASE_PATH',
    );
  } else {
    const path = config.databasePath ?? defaultDatabasePath;
    if (config.existing && path !== ':memory:' && !existsSync(path)) {
      // The hint names PostgreSQL too: on a PostgreSQL install the mistake is usually a missing DATABASE_URL, not a path.
      throw new Error(
        `no SQLite database at ${resolve(path)} (DATABASE_PATH / --database-path; or set DATABASE_URL / --database-url for PostgreSQL): ` +
          'this command needs an existing database and creates none',
      );
    }
    if (path !== ':memory:') makeFolder(dirname(path));
    store = await openSqliteStore(path, options);
  }
  try {
    return { store, applied: await store.migrate() };
  } catch (error) {
    if (error instanceof NewerSchemaError && config.newerSchema !== 'refuse') {
      // Every known migration is applied (versions only grow): nothing was written, and the
      // store is usable as it was before this check existed.
      const message = `${error.message}. Running on it as this older release: fine for a rolling upgrade's old processes and a rollback of additive migrations (docs/deploy.md); skucast migrate refuses it`;
      process.emitWarning(message, 'NewerSchemaWarning');
      config.onNewerSchema?.(message);
      return { store, applied: [] };
    }
    await store.close();
    throw error;
  }
}
