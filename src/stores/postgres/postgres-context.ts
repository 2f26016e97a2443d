import type pg from 'pg';
import type { JobFilter } from '../../queue/job.js';
import { toStoreError, type PostgresSettings } from './postgres-connection.js';
import { loadSqlFiles } from '../sql-files.js';
import { bindNamed, compileNamed, type NamedQuery } from './named-query.js';
import { jobFilterSql } from './job-rows.js';
import { inTransaction } from './checked-out-client.js';
import { BackgroundStatements } from './background-statements.js';

/** Something queries run on: the pool (one statement, autocommit) or a transaction's client. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * What the parts of the PostgreSQL store share: the pool, the clock, and the query files (read
 * once at open, compiled from `:name` to `$n`, prepared server-side on first use per connection).
 * Every call maps connection failures to StoreUnavailableError.
 */
export interface PgContext {
  pool: pg.Pool;
  settings: PostgresSettings;
  now: () => number;
  /** The clock leases are written and expired on: the database's (postgres-clock.ts). */
  leaseNow: () => number;
  /** Runs queries/<name>.sql with named parameters. */
  run<R extends pg.QueryResultRow = pg.QueryResultRow>(
    name: string, params?: Record<string, unknown>, on?: Queryable): Promise<pg.QueryResult<R>>;
  /** Runs queries/<name>.sql with its {{filter}} filled for this filter. */
  runFiltered<R extends pg.QueryResultRow = pg.QueryResultRow>(
    name: string, filter: JobFilter | undefined, params: Record<string, unknown>, on?: Queryable): Promise<pg.QueryResult<R>>;
  /** Runs SQL built in code (reads whose shape depends on the request) with named parameters. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string, params?: Record<string, unknown>, on?: Queryable): Promise<pg.QueryResult<R>>;
  /**
   * Runs fn in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws.
   * `readCommitted`: whatever the server's default_transaction_isolation, for statements that rely
   * on a new snapshot per statement (the heartbeat's retire).
   */
  tx<T>(fn: (client: pg.PoolClient) => Promise<T>, options?: { readCommitted?: boolean }): Promise<T>;
  /**
   * Runs fn's reads in one read-only REPEATABLE READ transaction: every statement sees the database
   * as of the first, as SQLite's deferred read transaction does (several statements that must
   * agree, such as a listing's status groups while workers move jobs between them).
   */
  snapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** The store's error mapping, for calls made outside run/sql/tx/snapshot. */
  mapError(error: unknown): unknown;
  /** Statements nobody waits for (the ANALYZE after a large enqueue): the store's close cancels them. */
  background: BackgroundStatements;
}

export function createPgContext(
  pool: pg.Pool, settings: PostgresSettings, now: () => number, leaseNow: () => number = now,
): PgContext {
  const texts = loadSqlFiles('postgres', 'queries');
  const compiled = new Map<string, NamedQuery>();
  const compile = (text: string) => {
    let q = compiled.get(text);
    if (!q) {
      q = compileNamed(text);
      compiled.set(text, q);
    }
    return q;
  };
  const fileText = (name: string) => {
    const text = texts.get(name);
    if (text === undefined) throw new Error(`missing query file queries/${name}.sql`);
    return text;
  };
  const mapError = (error: unknown) => toStoreError(error, settings);
  const exec = async <R extends pg.QueryResultRow>(q: NamedQuery, params: Record<string, unknown>, on: Queryable) => {
    try {
      return await on.query<R>({ name: q.name, text: q.text, values: bindNamed(q, params) });
    } catch (error) {
      throw mapError(error);
    }
  };

  return {
    pool,
    settings,
    now,
    leaseNow,
    run: (name, params = {}, on = pool) => exec(compile(fileText(name)), params, on),
    runFiltered(name, filter, params, on = pool) {
      const f = jobFilterSql(filter);
      return exec(compile(fileText(name).replaceAll('{{filter}}', f.sql)), { ...params, ...f.params }, on);
    },
    sql: (text, params = {}, on = pool) => exec(compile(text), params, on),
    tx: (fn, options) => inTransaction(pool, options?.readCommitted ? 'BEGIN ISOLATION LEVEL READ COMMITTED' : 'BEGIN', fn, mapError),
    snapshot: (fn) => inTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', fn, mapError),
    mapError,
    background: new BackgroundStatements(),
  };
}
