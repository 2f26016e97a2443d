import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Store } from '../../store.js';
import { openSqliteStore, type SqliteStoreOptions } from '../sqlite-store.js';

export interface SqliteScratch {
  /** This test's own folder (a new one before each test, removed after it). */
  dir: string;
  /** Stores closed after the test, in order; open() adds its own. */
  opened: Store[];
  /** A migrated store on `path` (default: jobs.db in the folder). */
  open(options?: SqliteStoreOptions, path?: string): Promise<Store>;
}

/** A folder per test for SQLite files, and the stores opened in it closed after the test. */
export function sqliteScratch(prefix: string): SqliteScratch {
  const scratch: SqliteScratch = {
    dir: '',
    opened: [],
    async open(options = {}, path = join(scratch.dir, 'jobs.db')) {
      const store = await openSqliteStore(path, options);
      scratch.opened.push(store);
      await store.migrate();
      return store;
    },
  };
  beforeEach(() => {
    scratch.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    // A test that faked the timers: its stores close (and checkpoint) on the real ones.
    vi.useRealTimers();
    for (const s of scratch.opened.splice(0)) await s.close();
    rmSync(scratch.dir, { recursive: true, force: true });
  });
  return scratch;
}
