import type Database from 'better-sqlite3';
import type { JobFilter } from '../../queue/job.js';
import { jobFilterSql } from './job-rows.js';
import { loadSqlFiles } from '../sql-files.js';

export type WakeEvent = 'jobs' | 'cancel';

/**
 * What the parts of the SQLite store share: one connection, the clock, the query files (read
 * once at open, prepared on first use and cached) and the in-process wake-up for own writes.
 */
export interface SqliteContext {
  db: Database.Database;
  now: () => number;
  /** The prepared statement of queries/<name>.sql. */
  stmt(name: string): Database.Statement;
  /** queries/<name>.sql with its {{filter}} filled for this filter's shape; params to bind. */
  filtered(name: string, filter: JobFilter | undefined): { stmt: Database.Statement; params: Record<string, unknown> };
  /** The text of queries/<name>.sql. */
  text(name: string): string;
  /** Prepared once per SQL text, for statements built in code (reads). */
  prepare(sql: string): Database.Statement;
  /** Runs fn in a BEGIN IMMEDIATE transaction (a savepoint when nested): no SQLITE_BUSY mid-way. */
  write<T>(fn: () => T): T;
  /** Runs fn in one read snapshot. */
  read<T>(fn: () => T): T;
  wake(event: WakeEvent): void;
}

export function createSqliteContext(
  db: Database.Database,
  now: () => number,
  wake: (event: WakeEvent) => void,
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
  return {
    db,
    now,
    stmt: (name) => prepare(text(name)),
    text,
    filtered(name, filter) {
      const { sql, params } = jobFilterSql(filter);
      return { stmt: prepare(text(name).replaceAll('{{filter}}', sql)), params };
    },
    prepare,
    write: (fn) => db.transaction(fn).immediate(),
    read: (fn) => db.transaction(fn).deferred(),
    wake,
  };
}
