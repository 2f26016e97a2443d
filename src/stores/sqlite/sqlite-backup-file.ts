/**
 * Checks and installs SQLite backup files (written by the store's backup(), i.e. VACUUM INTO).
 * A backup is accepted only when SQLite's integrity_check says "ok" and it holds the Skucast
 * schema (schema_migrations, jobs, datasets, series). Installing copies it next to the target
 * and renames it into place, after removing the target's -wal/-shm files: a stale WAL replayed
 * over the restored file would mix two databases.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { makeFolder } from '../make-folder.js';
import { dirname } from 'node:path';

export interface SqliteBackupInfo {
  migrations: number;
  jobs: Record<string, number>;
  datasets: number;
  series: number;
}

const requiredTables = ['schema_migrations', 'jobs', 'datasets', 'series'];

/** Reads a backup without changing it; throws with the reason when it is not a sound Skucast database. */
export function inspectSqliteBackup(path: string): SqliteBackupInfo {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`${path} is not a SQLite database: ${(error as Error).message}`);
  }
  try {
    let integrity: string[];
    try {
      integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    } catch (error) {
      throw new Error(`${path} is not a SQLite database: ${(error as Error).message}`);
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') throw new Error(`${path} fails SQLite's integrity check: ${integrity.slice(0, 3).join('; ')}`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    const missing = requiredTables.filter((t) => !tables.has(t));
    if (missing.length > 0) throw new Error(`${path} is a SQLite database but not a Skucast one (no table ${missing.join(', ')})`);
    const jobs: Record<string, number> = {};
    for (const row of db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as Array<{ status: string; n: number }>) jobs[row.status] = row.n;
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { migrations: count('schema_migrations'), jobs, datasets: count('datasets'), series: count('series') };
  } finally {
    db.close();
  }
}

/** The files SQLite keeps beside a database in WAL mode. */
export function sqliteSidecars(path: string): string[] {
  return [`${path}-wal`, `${path}-shm`, `${path}-journal`];
}

/** Puts a checked backup at `target` (replacing what is there): copy beside it, drop sidecars, rename. */
export function installSqliteBackup(source: string, target: string): void {
  makeFolder(dirname(target));
  const staging = `${target}.restoring-${process.pid}`;
  copyFileSync(source, staging);
  try {
    for (const file of sqliteSidecars(target)) rmSync(file, { force: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { force: true });
    throw error;
  }
}
