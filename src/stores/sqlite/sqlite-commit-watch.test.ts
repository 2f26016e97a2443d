import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import type { FSWatcher } from 'node:fs';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import { commitWatchDefaults, watchCommits } from './sqlite-commit-watch.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

const hour = 3_600_000;

describe('SQLite watch(): another connection’s commits', () => {
  const scratch = sqliteScratch('skucast-watch-');
  const open = (options: SqliteStoreOptions = {}) => scratch.open(options);
  /** Resolves on the watcher's next 'jobs' wake. */
  const nextWake = async (store: Store) => {
    let resolve: () => void = () => undefined;
    const woken = new Promise<void>((r) => { resolve = r; });
    const stop = await store.watch((event) => { if (event === 'jobs') resolve(); });
    return { woken, stop };
  };

  // No poll can fire here: setInterval is frozen and the backstop is an hour. Only the -wal
  // file's write event can wake the watcher (before events, a 5 ms setInterval poll was the only way).
  it('wakes on the -wal file’s write event, without the poll', { timeout: 15_000 }, async () => {
    const watcher = await open({ commitWatch: { pollMs: hour } });
    const other = await open();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { woken, stop } = await nextWake(watcher);
    await other.enqueue([newJob()], { batchId: 'from-the-other' });
    await woken;
    expect(await watcher.claimable()).toBe(true);
    await stop();
  });

  it('another connection’s cancel arrives as a cancel wake by the event, without the poll', { timeout: 15_000 }, async () => {
    const watcher = await open({ commitWatch: { pollMs: hour } });
    const other = await open();
    const r = await watcher.enqueue([newJob()], { batchId: 'to-cancel' });
    await watcher.claim({ workerId: 'w', limit: 1, leaseMs: hour });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let resolve: () => void = () => undefined;
    const cancelled = new Promise<void>((r2) => { resolve = r2; });
    const stop = await watcher.watch((event) => { if (event === 'cancel') resolve(); });
    expect(await other.cancel({ ids: [r.firstId!] })).toBe(1);
    await cancelled;
    await stop();
  });

  // SQLite resolves a symlinked database to its target and names the -wal file after the target,
  // in the target's folder: the watch must follow it (it takes the path SQLite reports).
  it('wakes through a symlink to the database file kept in another folder', { timeout: 15_000 }, async () => {
    const other = await open();
    mkdirSync(join(scratch.dir, 'links'));
    symlinkSync(join(scratch.dir, 'jobs.db'), join(scratch.dir, 'links', 'queue.db'));
    const watcher = await openSqliteStore(join(scratch.dir, 'links', 'queue.db'), { commitWatch: { pollMs: hour } });
    scratch.opened.push(watcher);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { woken, stop } = await nextWake(watcher);
    await other.enqueue([newJob()], { batchId: 'through-the-link' });
    await woken;
    expect(await watcher.claimable()).toBe(true);
    await stop();
  });

  it('still wakes after a checkpoint truncated the -wal file, then on the next commit', { timeout: 15_000 }, async () => {
    const watcher = await open({ commitWatch: { pollMs: hour } });
    const other = await open();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const first = await nextWake(watcher);
    await other.enqueue([newJob({ sku: 'A' })], { batchId: 'one' });
    await first.woken;
    await first.stop();
    // A truncating checkpoint (the watcher reads nothing meanwhile, so it can finish): the same
    // name rewritten from 0 bytes must still be watched.
    const db = new Database(join(scratch.dir, 'jobs.db'));
    try {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      expect(row.busy).toBe(0);
    } finally {
      db.close();
    }
    const second = await nextWake(watcher);
    await other.enqueue([newJob({ sku: 'B' })], { batchId: 'two' });
    await second.woken;
    expect((await watcher.summary()).pending).toBe(2);
    await second.stop();
  });

  it('a watcher that fails falls back to the fast poll, says so once, and still wakes', { timeout: 15_000 }, async () => {
    const fake = new EventEmitter() as EventEmitter & { close(): void };
    fake.close = () => undefined;
    const warnings: string[] = [];
    const watcher = await open({
      commitWatch: { pollMs: hour, fallbackPollMs: 5, watchFolder: () => fake as unknown as FSWatcher, warn: (m) => warnings.push(m) },
    });
    const other = await open();
    const { woken, stop } = await nextWake(watcher);
    fake.emit('error', Object.assign(new Error('inotify gone'), { code: 'ENOSPC' }));
    fake.emit('error', new Error('again'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/inotify gone.*polling every 5 ms/);
    await other.enqueue([newJob()], { batchId: 'after-the-failure' });
    await woken;
    await stop();
  });

  it('a watcher that cannot start (inotify limit) polls instead, with one warning', { timeout: 15_000 }, async () => {
    const warnings: string[] = [];
    const watcher = await open({
      commitWatch: {
        pollMs: hour,
        fallbackPollMs: 5,
        watchFolder: () => { throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' }); },
        warn: (m) => warnings.push(m),
      },
    });
    const other = await open();
    const { woken, stop } = await nextWake(watcher);
    await other.enqueue([newJob()], { batchId: 'polled' });
    await woken;
    expect(warnings).toEqual([expect.stringMatching(/ENOSPC.*polling every 5 ms/)]);
    await stop();
  });
});

describe('watchCommits: a commit seen after its -wal events', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  /**
   * A database whose commits become visible (data_version) when the test says so, later than the
   * -wal file's events that announce them: what a writer descheduled between writing its frames
   * and updating the WAL index (-shm, no events) looks like to the watcher.
   */
  const setup = () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    let emit: (filename: string | null) => void = () => undefined;
    const fake = new EventEmitter() as EventEmitter & { close(): void };
    fake.close = () => undefined;
    const db = { visible: 0, seen: 0, found: 0 };
    const watch = watchCommits({
      file: '/data/jobs.db',
      pollMs: hour,
      watchFolder: (_folder, onChange) => {
        emit = onChange;
        return fake as unknown as FSWatcher;
      },
      look: () => {
        if (db.visible === db.seen) return false;
        db.seen = db.visible;
        db.found += 1;
        return true;
      },
    });
    return { db, watch, emit: (filename: string | null) => emit(filename) };
  };

  it('a commit that becomes visible 5 ms after its event is seen well before the backstop', () => {
    const { db, watch, emit } = setup();
    emit('jobs.db-wal');
    vi.advanceTimersByTime(4); // the event's look and the 1 ms re-look find nothing yet
    expect(db.found).toBe(0);
    db.visible = 1;
    vi.advanceTimersByTime(60);
    expect(db.found).toBe(1);
    watch.stop();
  });

  it('a look that finds an earlier commit still looks again for the one whose event woke it', () => {
    const { db, watch, emit } = setup();
    // Commit 1 is visible, commit 2's frames are written (its event) but not yet in the index.
    db.visible = 1;
    emit('jobs.db-wal');
    vi.advanceTimersByTime(0);
    expect(db.found).toBe(1);
    vi.advanceTimersByTime(3);
    db.visible = 2;
    vi.advanceTimersByTime(60);
    expect(db.found).toBe(2);
    watch.stop();
  });

  it('looks a bounded number of times after an event, then only the backstop polls', () => {
    let looks = 0;
    vi.useFakeTimers({ toFake: ['setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    let emit: (filename: string | null) => void = () => undefined;
    const fake = Object.assign(new EventEmitter(), { close: () => undefined });
    const watch = watchCommits({
      file: '/data/jobs.db',
      pollMs: hour,
      watchFolder: (_folder, onChange) => { emit = onChange; return fake as unknown as FSWatcher; },
      look: () => { looks += 1; return false; },
    });
    emit('jobs.db-wal');
    emit('other.db-wal'); // another database in the same folder: no look
    vi.advanceTimersByTime(10_000);
    expect(looks).toBe(1 + commitWatchDefaults.relooks);
    watch.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
