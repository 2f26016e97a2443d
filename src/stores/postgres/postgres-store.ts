/**
 * The PostgreSQL Store: many API and worker processes on many hosts share one database.
 *
 * Modes and why:
 * - A pg Pool per process (`connection_limit`, default 10, or `poolMax` when the URL does not say;
 *   workers pass 2, and `warmPool`: opened and warmed at the first watch, never closed when idle). Single statements run in autocommit
 *   on any pooled connection; compound writes (enqueue, datasets) take one connection for a
 *   transaction, and a job listing over several status groups one for a read-only snapshot. When the server goes away, calls fail fast with StoreUnavailableError and the
 *   pool opens fresh connections by itself once it is back: nothing to restart.
 * - claim uses FOR UPDATE SKIP LOCKED: concurrent workers never get the same job and never wait
 *   for each other (capabilities.skipLocked).
 * - Wake-ups are NOTIFY skucast_jobs / skucast_cancel, sent by the jobs triggers at commit; one
 *   dedicated LISTEN connection per store (PostgresListener) reconnects with backoff and wakes
 *   everyone after a reconnect (capabilities.listenNotify). The runner's poll stays the backstop.
 * - summary() reads per-connection counter rows kept by statement-level triggers: no scan of jobs
 *   and no shared hot row (see migrations/001_jobs.sql).
 * - Leases are written and expired on the database's clock (postgres-clock.ts), so hosts whose
 *   clocks disagree never rescue each other's healthy jobs.
 * - `?schema=name` in the URL puts the tables in their own schema (tests: one per case).
 */
import pg from 'pg';
import type { QueueStore, StoreOptions } from '../../queue/queue-store.js';
import type { Store } from '../store.js';
import { clientConfig, isConnectionError, listenSettingsFor, parsePostgresUrl, poolConfig } from './postgres-connection.js';
import { isStoreUnavailableError } from '../store-unavailable-error.js';
import { leaseClock, type LeaseClockMode } from './postgres-clock.js';
import { createPgContext } from './postgres-context.js';
import { postgresUpkeep } from './postgres-upkeep.js';
import { postgresIdempotency } from './postgres-idempotency.js';
import { postgresDatasets } from './postgres-datasets.js';
import { postgresPlanningCycle } from './postgres-planning-cycle.js';
import { postgresJobReads } from './postgres-job-reads.js';
import { postgresJobWrites } from './postgres-job-writes.js';
import { PostgresListener, type ListenTrouble } from './postgres-listener.js';
import { migratePostgres } from './postgres-migrate.js';
import { warmPool } from './postgres-warm-pool.js';

export { StoreUnavailableError } from '../store-unavailable-error.js';

/** How often at most rescue() also folds the counter rows of closed connections. */
const foldEveryMs = 60_000;

export interface PostgresStoreOptions extends StoreOptions {
  /** The pool size when the URL has no connection_limit (default 10). */
  poolMax?: number;
  /** Where the URL came from, as messages name it (default DATABASE_URL; `--database-url` when the flag gave it). */
  urlName?: string;
  /** Where the LISTEN connection goes (default: the store's URL); its schema is the store's. */
  listenUrl?: string;
  /** Which clock leases use: the database's (default) or, when a clock is injected, the caller's. */
  leaseClock?: LeaseClockMode;
  /**
   * A worker's pool: its connections are opened and warmed when the store is first watched (the
   * runner's start, after migrations) and kept open while idle, so no pickup waits for one.
   */
  warmPool?: boolean;
  /** Told when the warm-up failed (harmless: the claims open their own connections), to log it. */
  onWarmFailure?: (error: unknown) => void;
  /** Told when the LISTEN connection fails or is lost, and when it listens again, to log it. */
  onListenTrouble?: (trouble: ListenTrouble) => void;
  /** Who connects (`worker:<id>`, `api`): in the pool's application_name (postgres-connection.ts, applicationName). */
  processRole?: string;
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now;
  const settings = { ...parsePostgresUrl(url, options.poolMax, options.urlName), processRole: options.processRole };
  const listenSettings = listenSettingsFor(settings, options.listenUrl);
  const pool = new pg.Pool(poolConfig(settings, options.warmPool === true));
  // An idle pooled connection that dies (server restart) emits here; the pool has already dropped
  // it and opens a new one on the next query. Without a listener the process would crash.
  pool.on('error', () => undefined);
  const clock = leaseClock(pool, now, options.leaseClock ?? (options.now ? 'caller' : 'database'));
  await clock.sync();
  const ctx = createPgContext(pool, settings, now, clock.now);
  const listener = new PostgresListener(clientConfig(listenSettings, 'listen'), settings.schema, options.onListenTrouble);
  const { settleWaiting, ...writes } = postgresJobWrites(ctx);
  let lastFold = 0;
  let closed = false;
  let warmed = false;

  const queue: Pick<QueueStore, 'capabilities' | 'kind' | 'isTransient' | 'migrate' | 'close' | 'ping' | 'watch' | 'rescue'> = {
    capabilities: { skipLocked: true, listenNotify: true, supersedeKeepsTurn: true, databaseClock: true },
    kind: 'postgres',
    isTransient: isPostgresTransient,
    async migrate() {
      return migratePostgres(pool, settings, now);
    },
    async close() {
      if (closed) return;
      closed = true;
      // An ANALYZE after a large enqueue is cancelled at once (background-statements.ts); its
      // answer is awaited only before the pool ends, so a slow one never holds back the results.
      const background = ctx.background.close();
      await listener.close();
      await settleWaiting(); // finished jobs' results still in a batch go in first (as on SQLite)
      await background;
      await pool.end();
    },
    async ping() {
      await ctx.sql('SELECT 1');
    },
    async watch(onWake) {
      if (options.warmPool && !warmed) {
        warmed = true;
        const failure = await warmPool(ctx, settings.poolMax);
        if (failure) options.onWarmFailure?.(failure);
      }
      return listener.subscribe(onWake);
    },
    async rescue(options) {
      await clock.sync();
      const result = await writes.rescue(options);
      if (Date.now() - lastFold > foldEveryMs) {
        lastFold = Date.now();
        await ctx.run('job-counts-fold').catch(() => undefined); // housekeeping: the next one will do
        await ctx.run('job-durations-fold').catch(() => undefined);
      }
      return result;
    },
  };

  return { ...writes, ...postgresJobReads(ctx), ...postgresUpkeep(ctx), ...postgresDatasets(ctx), ...postgresPlanningCycle(ctx), ...postgresIdempotency(ctx), ...queue };
}

// SQLSTATEs a second try can pass: serialization_failure, deadlock_detected, lock_not_available,
// query_canceled (statement or lock timeout). Constraint and data errors (23xxx, 22xxx) never pass.
const retryableStates = new Set(['40001', '40P01', '55P03', '57014']);

/** The server was away, or the write lost a race it may win next time. */
export function isPostgresTransient(error: unknown): boolean {
  if (isStoreUnavailableError(error) || isConnectionError(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retryableStates.has(code);
}
