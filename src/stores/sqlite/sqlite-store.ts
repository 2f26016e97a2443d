/**
 * The SQLite Store: one better-sqlite3 connection per store (synchronous calls wrapped in async
 * methods), the default for a single host.
 *
 * Modes and why:
 * - journal_mode=WAL: readers (the API) never block the writer (workers) and vice versa.
 * - synchronous=NORMAL (SQLITE_SYNCHRONOUS=FULL to fsync every commit; docs/durability.md): in WAL
 *   mode a power cut can lose the last few committed transactions but
 *   never corrupts the file; the queue tolerates that (a lost claim is rescued, a lost enqueue is
 *   re-submitted), and it saves an fsync per transaction.
 * - busy_timeout=10000 (SQLITE_BUSY_TIMEOUT_MS) and every write in BEGIN IMMEDIATE: writers queue for the lock at the start
 *   of their transaction, so no SQLITE_BUSY reaches a caller mid-transaction.
 * - watch(): other processes' commits are seen by a look at PRAGMA data_version (one cheap call, no
 *   I/O when nothing changed) on every write event of the -wal file, with a 100 ms poll as backstop
 *   (sqlite-commit-watch.ts: its modes, and the 5 ms poll it falls back to when events fail); on a
 *   change, a counter of cancels tells whether to send 'cancel' as well as 'jobs'. This process's
 *   own writes wake listeners directly.
 * - wal_autocheckpoint=0 on a file: this process checkpoints its commits in a later loop turn
 *   (about every 1,000 WAL frames, and about 1 s after a commit at the latest; its modes in
 *   sqlite-checkpoints.ts), so a caller's commit pays no checkpoint unless the loop has not turned
 *   for that long, and a quiet process's commits reach the disk about a second later; a WAL
 *   that other processes' commits keep from starting over is restarted by force (RESTART) at
 *   about 16 MB, and journal_size_limit cuts its file back to 64 MB when it starts over.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { makeFolder } from '../make-folder.js';
import { dirname } from 'node:path';
import { parseEnv, settings } from '../../config/env.js';
import type { QueueStore, StoreOptions } from '../../queue/queue-store.js';
import type { Store } from '../store.js';
import { isStoreUnavailableError } from '../store-unavailable-error.js';
import { createSqliteContext, type WakeEvent } from './sqlite-context.js';
import { watchCommits, type CommitWatch, type CommitWatchOptions } from './sqlite-commit-watch.js';
import { scheduleCheckpoints, type CheckpointOptions, type CheckpointRow, type CheckpointSchedule } from './sqlite-checkpoints.js';
import { sqliteUpkeep } from './sqlite-upkeep.js';
import { sqliteIdempotency } from './sqlite-idempotency.js';
import { sqliteDatasets } from './sqlite-datasets.js';
import { sqlitePlanningCycle } from './sqlite-planning-cycle.js';
import { sqliteJobReads } from './sqlite-job-reads.js';
import { sqliteJobWrites } from './sqlite-job-writes.js';
import { migrateSqlite } from './sqlite-migrate.js';

/**
 * How long a writer waits for the lock before SQLITE_BUSY. Write transactions are short, except a
 * bulk enqueue (a 50,000-job upload that reuses and supersedes can hold the lock for a second or
 * more on a busy machine): 10 s leaves room for several of those queued ahead.
 */

/** How long a forced restart of the WAL waits for other connections before it gives up (sqlite-checkpoints.ts). */
const restartWaitMs = 20;

export interface SqliteStoreOptions extends StoreOptions {
  /** How long a writer waits for the lock before SQLITE_BUSY (default 10 s, or SQLITE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** How watch() sees other processes' commits (defaults in sqlite-commit-watch.ts); tests inject these. */
  commitWatch?: Pick<CommitWatchOptions, 'pollMs' | 'fallbackPollMs' | 'relookMs' | 'relooks' | 'watchFolder' | 'warn'>;
  /** When this process checkpoints the WAL (defaults in sqlite-checkpoints.ts); tests inject these. */
  checkpoints?: Pick<CheckpointOptions, 'everyCommits' | 'targetFrames' | 'maxDelayMs' | 'deadline' | 'warn' | 'now' | 'restartFrames'> & {
    /** Told after each checkpoint this store ran, with PRAGMA wal_checkpoint's row. */
    onCheckpoint?: (row: CheckpointRow) => void;
  };
}

/** The busy timeout: the option, else SQLITE_BUSY_TIMEOUT_MS (validated in src/config/env.ts), else 10 s. */
export function sqliteBusyTimeoutMs(option?: number, env?: NodeJS.ProcessEnv): number {
  if (option !== undefined) return option;
  return (env ? parseEnv(env) : settings()).sqliteBusyTimeoutMs;
}

/** NORMAL by default; FULL when SQLITE_SYNCHRONOUS says so (anything else is refused, not guessed). */
export function sqliteSynchronous(env?: NodeJS.ProcessEnv): 'NORMAL' | 'FULL' {
  return (env ? parseEnv(env) : settings()).sqliteSynchronous;
}

export function openSqliteDatabase(path: string, busyTimeoutMs = sqliteBusyTimeoutMs()): Database.Database {
  if (path !== ':memory:' && !path.startsWith('file:')) makeFolder(dirname(path));
  const db = new Database(path, { timeout: busyTimeoutMs });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // Switching a new file to WAL needs a moment of exclusive access: several processes opening the
  // same new file at once may see SQLITE_BUSY here, so try again briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 50) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  db.pragma(`synchronous = ${sqliteSynchronous()}`);
  db.pragma('foreign_keys = ON');
  // 64 MB of page cache (default 2 MB): a 50,000-job enqueue that reuses and supersedes touches more
  // pages than that, and spilling dirty pages mid-transaction doubled its time.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // SQLite's lower() folds ASCII only, so a search for 'ün' missed 'Ünïcødé'; JavaScript's
  // toLowerCase folds Unicode as PostgreSQL's lower() does in a UTF-8 locale (sqlite-datasets.ts).
  // A yes or no crosses back into SQLite, not the folded text: that is the cheaper call.
  db.function('unicode_contains', { deterministic: true }, (text: unknown, folded: unknown) =>
    (typeof text === 'string' && typeof folded === 'string' && text.toLowerCase().includes(folded) ? 1 : 0));
  return db;
}

export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now;
  const busyTimeoutMs = sqliteBusyTimeoutMs(options.busyTimeoutMs);
  const db = openSqliteDatabase(path, busyTimeoutMs);
  const listeners = new Set<(event: WakeEvent) => void>();
  let commitWatch: CommitWatch | null = null;
  let closed = false;

  const notify = (event: WakeEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own business; the others still get woken
      }
    }
  };
  // Own writes: wake after the caller's await resolves, never inside the transaction.
  const wake = (event: WakeEvent) => {
    if (listeners.size > 0) queueMicrotask(() => notify(event));
  };
  // A file in WAL mode checkpoints on this process's schedule (sqlite-checkpoints.ts), not inside
  // a commit; an in-memory database has no WAL.
  let checkpoints: CheckpointSchedule | null = null;
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') {
    db.pragma('wal_autocheckpoint = 0');
    const walCheckpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    const walRestart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
    const restartWait = db.prepare(`PRAGMA busy_timeout = ${Math.min(restartWaitMs, busyTimeoutMs)}`);
    const usualWait = db.prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // A WAL file once grown stays that size when it starts over; past 64 MB the restarting commit
    // cuts it back (RESTART restarts it at 4,000 frames, about 16 MB, so that is rare).
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    const told = (row: CheckpointRow) => {
      try {
        options.checkpoints?.onCheckpoint?.(row);
      } catch {
        // a test's hook; not the checkpoint's failure
      }
      return row;
    };
    checkpoints = scheduleCheckpoints({
      // FULL syncs the WAL at every commit: no deadline needed for durability.
      deadline: sqliteSynchronous() !== 'FULL',
      ...options.checkpoints,
      checkpoint: () => told(walCheckpoint.get() as CheckpointRow),
      // RESTART holds the write lock while it copies and waits for readers: it waits briefly, or gives up.
      restart: () => {
        restartWait.get();
        try {
          return told(walRestart.get() as CheckpointRow);
        } finally {
          usualWait.get();
        }
      },
    });
  }
  const ctx = createSqliteContext(db, now, wake, busyTimeoutMs, checkpoints ? () => checkpoints!.committed() : null);
  const { settleWaiting, ...jobWrites } = sqliteJobWrites(ctx);

  const cancels = () => (ctx.stmt('queue-cancels').get() as { cancels: number } | undefined)?.cancels ?? 0;
  // Prepared once: db.pragma() prepares its statement on every call, and a worker looks several
  // times per commit (each of its own commits raises a -wal event, then the relooks follow).
  const dataVersion = () => ctx.prepare('PRAGMA data_version').pluck().get() as number;
  const startWatching = () => {
    let seen = dataVersion();
    let seenCancels = cancels();
    let lookFailed = false;
    // '' for an in-memory or temporary database: no other process can commit to it.
    const file = (db.prepare("SELECT file FROM pragma_database_list WHERE name = 'main'").get() as { file: string }).file;
    commitWatch = watchCommits({
      ...options.commitWatch,
      file: file === '' ? null : file,
      look: () => {
        if (closed) return false;
        // A throw here would crash the process: the first failed look is a wake-up instead, so
        // the listeners go and ask the store themselves (and meet the error where it is handled);
        // later failures stay quiet until a look succeeds again.
        let cancelled = true;
        try {
          const version = dataVersion();
          lookFailed = false;
          if (version === seen) return false;
          seen = version;
          const nowCancels = cancels();
          cancelled = nowCancels !== seenCancels;
          seenCancels = nowCancels;
        } catch {
          if (lookFailed) return false;
          lookFailed = true;
        }
        if (cancelled) notify('cancel');
        notify('jobs');
        return true;
      },
    });
  };
  const stopWatching = () => {
    commitWatch?.stop();
    commitWatch = null;
  };

  const queue: Pick<QueueStore, 'capabilities' | 'kind' | 'isTransient' | 'migrate' | 'close' | 'ping' | 'watch' | 'backup'> = {
    capabilities: { skipLocked: false, listenNotify: false, supersedeKeepsTurn: false, databaseClock: false },
    kind: 'sqlite',
    isTransient: isSqliteTransient,
    async migrate() {
      const applied = migrateSqlite(db, now);
      checkpoints?.committed(); // DDL changes no rows: total_changes() would not count it
      return applied;
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      stopWatching();
      settleWaiting(); // finished jobs' results still waiting for the write lock go in first
      try {
        // optimize refreshes the planner's statistics where they went stale (cheap); in one
        // transaction with forgetting a handful-of-rows jobs table's, so that no other connection
        // loads those in between (ANALYZE makes every connection read the statistics again).
        ctx.write(() => {
          db.pragma('optimize');
          if (ctx.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get()) ctx.stmt('job-statistics-small').run();
        });
        checkpoints?.committed(); // optimize may have written them (total_changes() does not count it)
      } catch {
        // a read-only or busy database skips it; closing matters more
      }
      checkpoints?.stop(); // this process's last commits synced, whoever else keeps the file open
      db.close();
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async watch(onWake) {
      const listener = (event: WakeEvent) => onWake(event);
      listeners.add(listener);
      if (!commitWatch) startWatching();
      return async () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopWatching();
      };
    },
    /** A consistent copy while workers keep writing (VACUUM INTO reads one snapshot). */
    async backup(toPath) {
      if (existsSync(toPath)) throw new Error(`backup target already exists: ${toPath}`);
      makeFolder(dirname(toPath));
      db.prepare('VACUUM INTO ?').run(toPath);
    },
  };

  return { ...queue, ...jobWrites, ...sqliteJobReads(ctx), ...sqliteUpkeep(ctx), ...sqliteDatasets(ctx), ...sqlitePlanningCycle(ctx), ...sqliteIdempotency(ctx) };
}

/** Another connection held the lock (busy, locked) or the database was unavailable: worth another try. */
export function isSqliteTransient(error: unknown): boolean {
  if (isStoreUnavailableError(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)_/.test(code));
}
