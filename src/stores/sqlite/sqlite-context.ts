import type Database from 'better-sqlite3';
import type { JobFilter } from '../../queue/job.js';
import { jobFilterSql } from './job-rows.js';
import { loadSqlFiles } from '../sql-files.js';

export type WakeEvent = 'jobs' | 'cancel';

/** tryWrite's answer when another connection holds the write lock. */
export const busy: unique symbol = Symbol('busy');

/** What a writer that waited the whole busy timeout for the lock throws, as SQLite's handler would. */
export function lockedError(waitedMs: number): Error {
  return Object.assign(new Error(`database is locked (another connection held the write lock for ${waitedMs} ms)`), { code: 'SQLITE_BUSY' });
}

/**
 * What the parts of the SQLite store share: one connection, the clock, the query files (read
 * once at open, prepared on first use and cached) and the in-process wake-up for own writes.
 */
export interface SqliteContext {
  db: Database.Database;
  now: () => number;
  /** The prepared statement of queries/<name>.sql. */
  stmt(name: string): Database.Statement;
  /**
   * queries/<name>.sql with its {{filter}} filled for this filter's shape; params to bind. Inside
   * the transaction that runs it: a dataset's ref is read here (jobFilterSql).
   */
  filtered(name: string, filter: JobFilter | undefined): { stmt: Database.Statement; params: Record<string, unknown> };
  /** jobFilterSql with this connection's dataset refs; inside the transaction that runs the statement. */
  jobFilter(filter: JobFilter | undefined): ReturnType<typeof jobFilterSql>;
  /** A dataset's ref in job_datasets (migration 030), null when no job ever held that id (job-dataset-ref.sql). */
  datasetRef(datasetId: string): number | null;
  /** The text of queries/<name>.sql. */
  text(name: string): string;
  /** Prepared once per SQL text, for statements built in code (reads). */
  prepare(sql: string): Database.Statement;
  /** Runs fn in a BEGIN IMMEDIATE transaction (a savepoint when nested): no SQLITE_BUSY mid-way. */
  write<T>(fn: () => T): T;
  /**
   * As write, but when another process holds the write lock it returns `busy` at once (nothing
   * was written) instead of blocking the whole process in SQLite's busy handler: the caller waits
   * in the event loop, where its other work (handlers finishing, more completes to group) goes on.
   */
  tryWrite<T>(fn: () => T): T | typeof busy;
  /** How long a writer may wait for the lock in all (the connection's busy timeout). */
  busyTimeoutMs: number;
  /** Runs fn in one read snapshot. */
  read<T>(fn: () => T): T;
  wake(event: WakeEvent): void;
}

/** Told after each outermost write transaction of this connection that changed something has committed. */
export type OnCommit = () => void;

export function createSqliteContext(
  db: Database.Database,
  now: () => number,
  wake: (event: WakeEvent) => void,
  busyTimeoutMs = 10_000,
  onCommit: OnCommit | null = null,
): SqliteContext {
  const texts = loadSqlFiles('sqlite', 'queries');
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const text = (name: string) => {
    const sql = texts.get(name);
    if (sql === undefined) throw new Error(`missing query file queries/${name}.sql`);
    return sql;
  };
  const datasetRef = (datasetId: string) =>
    (prepare(text('job-dataset-ref')).get({ datasetId }) as { ref: number } | undefined)?.ref ?? null;
  // total_changes() counts this connection's row changes: a write that changed nothing (a claim
  // that found no job) wrote no WAL frames and is no commit to checkpoint.
  const totalChanges = () => prepare('SELECT total_changes()').pluck().get() as number;
  const immediate = <T>(fn: () => T): T => {
    if (onCommit === null || db.inTransaction) return db.transaction(fn).immediate();
    const before = totalChanges();
    const result = db.transaction(fn).immediate();
    if (totalChanges() !== before) {
      try {
        onCommit();
      } catch {
        // the write has committed: nothing after it may turn it into an error for the caller
      }
    }
    return result;
  };
  return {
    db,
    now,
    stmt: (name) => prepare(text(name)),
    text,
    filtered(name, filter) {
      const { sql, params } = jobFilterSql(filter, datasetRef);
      return { stmt: prepare(text(name).replaceAll('{{filter}}', sql)), params };
    },
    jobFilter: (filter) => jobFilterSql(filter, datasetRef),
    datasetRef,
    prepare,
    write: immediate,
    tryWrite(fn) {
      if (db.inTransaction) return db.transaction(fn).immediate();
      prepare('PRAGMA busy_timeout = 0').get();
      try {
        return immediate(fn);
      } catch (error) {
        // Rolled back whole (BEGIN itself, or a statement that met the lock): safe to run again.
        if ((error as { code?: string }).code === 'SQLITE_BUSY' && !db.inTransaction) return busy;
        throw error;
      } finally {
        prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`).get();
      }
    },
    busyTimeoutMs,
    read: (fn) => db.transaction(fn).deferred(),
    wake,
  };
}
