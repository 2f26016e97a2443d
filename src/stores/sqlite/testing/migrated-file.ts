import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Store } from '../../store.js';
import { openSqliteDatabase } from '../sqlite-store.js';
import type { SqliteScratch } from './sqlite-scratch.js';

/**
 * The scratch folder's jobs.db as migration tests use it: a store's file, migrated (and filled by
 * `fill`), then closed, opened again as a plain connection, to be taken back to an earlier shape.
 */
export function migratedFile(scratch: SqliteScratch) {
  const dbPath = () => join(scratch.dir, 'jobs.db');
  const migratedDb = async (fill?: (store: Store) => Promise<unknown>): Promise<Database.Database> => {
    const store = await scratch.open();
    await fill?.(store);
    await store.close();
    return openSqliteDatabase(dbPath());
  };
  return { dbPath, migratedDb };
}
