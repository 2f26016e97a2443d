import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import type { CheckpointRow } from './sqlite-checkpoints.js';
import { holdWriteLock } from './sqlite-lock-holder.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

const hour = 3_600_000;
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the SQLite store checkpoints outside its commits', () => {
  const scratch = sqliteScratch('skucast-checkpoints-');
  const file = () => join(scratch.dir, 'jobs.db');
  const open = (checkpoints: SqliteStoreOptions['checkpoints']) => scratch.open({ checkpoints });
  const jobs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => newJob({ sku: `${prefix}-${i}` }));

  // 20,000 jobs are well over SQLite's 1,000-frame autocheckpoint: under SQLite's own policy the
  // enqueue's COMMIT would have copied its pages into the main file before returning.
  it('a big enqueue returns with its pages still in the WAL; the timer moves them into the file', { timeout: 30_000 }, async () => {
    const checkpointed: Array<{ log: number; checkpointed: number }> = [];
    let done: () => void = () => undefined;
    const signal = new Promise<void>((resolve) => { done = resolve; });
    const store = await open({ everyCommits: 1000, maxDelayMs: 50, onCheckpoint: (row) => { checkpointed.push(row); done(); } });
    await signal; // the migration's own checkpoint
    const before = statSync(file()).size;
    checkpointed.length = 0;
    const second = new Promise<void>((resolve) => { done = resolve; });
    await store.enqueue(jobs(20_000, 'big'), { batchId: 'big' });
    expect(statSync(file()).size).toBe(before);
    await second;
    expect(checkpointed).toHaveLength(1);
    expect(checkpointed[0].log).toBeGreaterThan(1000);
    expect(checkpointed[0].checkpointed).toBe(checkpointed[0].log);
    expect(statSync(file()).size).toBeGreaterThan(before);
  });

  // The forced restart's plumbing: PRAGMA wal_checkpoint(RESTART) on the store's connection, with
  // its busy timeout lowered for it and back after it. Why it is needed (two processes committing
  // back to back never let the WAL start over) takes two processes: tests/stores/sqlite-wal-growth.test.ts.
  it('a complete checkpoint that finds the WAL restartFrames long is followed by a RESTART, and the busy timeout is back after it', { timeout: 30_000 }, async () => {
    const run = async (restartFrames: number) => {
      const rows: CheckpointRow[] = [];
      let signal: () => void = () => undefined;
      const long = new Promise<void>((resolve) => { signal = resolve; });
      const path = join(scratch.dir, `wal-${restartFrames}.db`);
      const store = await openSqliteStore(path, {
        checkpoints: { maxDelayMs: 50, restartFrames, onCheckpoint: (row) => { rows.push(row); if (row.log > 1000) signal(); } },
      });
      scratch.opened.push(store);
      await store.migrate();
      await store.enqueue(jobs(20_000, 'big'), { batchId: 'big' }); // about 3,000 frames
      await long; // the timer's checkpoint, and the restart right after it when there is one
      // Another process holds the write lock for longer than the restart's 20 ms wait: the store's
      // next write must still wait for it (its usual busy timeout is back).
      const holder = await holdWriteLock(path, { holdMs: 300 });
      await store.enqueue(jobs(1, 'after'), { batchId: 'after' });
      await holder.released;
      return rows;
    };
    // A restart's row follows the checkpoint it came after: the same frames, all copied.
    const restarts = (rows: CheckpointRow[]) => rows.slice(1).filter((row, k) =>
      row.log > 1000 && row.busy === 0 && row.checkpointed === row.log && rows[k].busy === 0 && rows[k].log === row.log);
    expect(restarts(await run(1_000_000))).toHaveLength(0);
    expect(restarts(await run(1000))).toHaveLength(1);
  });

  // A WAL file keeps its size when it starts over; journal_size_limit (64 MB) has the restarting
  // commit cut it back, so one burst does not hold its disk space for good.
  it('a WAL file that grew past 64 MB is cut back to 64 MB when it starts over', { timeout: 60_000 }, async () => {
    let signal: () => void = () => undefined;
    const long = new Promise<void>((resolve) => { signal = resolve; });
    const store = await open({ maxDelayMs: 50, onCheckpoint: (row) => { if (row.log > 16_384) signal(); } });
    await store.enqueue(jobs(320_000, "burst"), { batchId: "burst" }); // one transaction: about 75 MB of WAL
    const limit = 64 * 1024 * 1024;
    expect(statSync(`${file()}-wal`).size).toBeGreaterThan(limit);
    await long; // the timer's checkpoint copied it all (and a RESTART followed)
    await store.enqueue(jobs(1, 'after'), { batchId: 'after' }); // starts the WAL over
    expect(statSync(`${file()}-wal`).size).toBe(limit);
  });

  // SQLite checkpoints at close only when the connection is the last one: a worker stopping while
  // the API stays open would leave its last commits in the WAL, unsynced under synchronous=NORMAL.
  it('close() checkpoints its own last commits while another connection keeps the file open', { timeout: 15_000 }, async () => {
    let done: () => void = () => undefined;
    const migrated = new Promise<void>((resolve) => { done = resolve; });
    const store = await open({ everyCommits: 1000, maxDelayMs: 20, onCheckpoint: () => done() });
    await migrated;
    const other = await open({ everyCommits: 1000, maxDelayMs: hour });
    const before = statSync(file()).size;
    await store.enqueue(jobs(2000, 'last'), { batchId: 'last' });
    expect(statSync(file()).size).toBe(before);
    scratch.opened.splice(scratch.opened.indexOf(store), 1);
    await store.close();
    expect(statSync(file()).size).toBeGreaterThan(before);
    expect((await other.summary()).pending).toBe(2000);
  });

  it('counts commits that changed something: a claim of an empty queue is none', { timeout: 15_000 }, async () => {
    let runs = 0;
    // The migration counts as one commit: it, a and b make the three.
    const store = await open({ everyCommits: 3, maxDelayMs: hour, onCheckpoint: () => runs++ });
    await loopTurn();
    expect(runs).toBe(0);
    for (let i = 0; i < 3; i++) expect(await store.claim({ workerId: 'w', limit: 1, leaseMs: hour })).toEqual([]);
    await loopTurn();
    expect(runs).toBe(0);
    await store.enqueue(jobs(1, 'a'), { batchId: 'a' });
    await store.enqueue(jobs(1, 'b'), { batchId: 'b' });
    expect(runs).toBe(0); // the caller resumed before the checkpoint
    await loopTurn();
    expect(runs).toBe(1);
  });

  // Awaiting one store call after another never lets the loop turn: no next-turn checkpoint, no
  // timer. The count's overdue rule keeps the WAL bounded all the same.
  it('a caller that never lets the loop turn still gets checkpoints, inside its calls, as the WAL grows', { timeout: 30_000 }, async () => {
    const rows: CheckpointRow[] = [];
    const store = await open({ everyCommits: 2, maxDelayMs: hour, onCheckpoint: (row) => rows.push(row) });
    for (let i = 0; i < 16; i++) await store.enqueue(jobs(2000, `loop${i}`), { batchId: `loop${i}` });
    // The migration and 7 enqueues (4 times the count of 2); the WAL then long (about 1,200 frames),
    // 4 more commits. Without the overdue rule: none at all, the WAL growing with every call.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.busy === 0 && row.checkpointed === row.log)).toBe(true);
  });

  // A reader pins the WAL for a while, then leaves, and the caller never lets the loop turn: the
  // timer's retries cannot fire, so a retry that is due runs inside a commit (a review saw one
  // checkpoint in 2,000 such calls and a 187 MB WAL before this).
  it('retries of a checkpoint a reader held back go on inside commits when the loop never turns', { timeout: 30_000 }, async () => {
    const rows: CheckpointRow[] = [];
    const store = await open({ everyCommits: 2, maxDelayMs: 50, onCheckpoint: (row) => rows.push(row) });
    const reader = new Database(file());
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM jobs').get(); // holds its snapshot from here
    const started = Date.now();
    for (let i = 0; i < 4; i++) await store.enqueue(jobs(300, `pinned${i}`), { batchId: `pinned${i}` });
    await loopTurn(); // the count's checkpoint
    expect(rows.some((row) => row.checkpointed < row.log)).toBe(true); // held back
    reader.exec('COMMIT');
    reader.close();
    // Back-to-back calls, no loop turn, until a retry has come due (at most 50 ms apart).
    while (Date.now() - started < 200) await store.enqueue(jobs(5, `more${Date.now()}`), { batchId: `more${Date.now()}` });
    const last = rows.at(-1)!;
    expect(last.busy).toBe(0);
    expect(last.checkpointed).toBe(last.log); // completed, inside one of those calls
  });

  // A reader on an older snapshot (an API read, an operator's sqlite3 shell) pins the frames after
  // it: the checkpoint copies nothing and syncs nothing. It must not count as done, and commits
  // going on meanwhile must not each run one (each would copy what the reader let go, two fsyncs).
  it('a checkpoint a reader kept from finishing is tried again by the timer alone, and completes once the reader is gone', { timeout: 15_000 }, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }); // no time passes between the commits below
    const rows: CheckpointRow[] = [];
    const store = await open({ everyCommits: 2, maxDelayMs: 1000, onCheckpoint: (row) => rows.push(row) });
    const reader = new Database(file());
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM jobs').get(); // holds its snapshot from here
    await store.enqueue(jobs(500, 'pinned'), { batchId: 'pinned' }); // with the migration: the count of 2
    await loopTurn();
    expect(rows).toHaveLength(1);
    expect(rows[0].checkpointed).toBeLessThan(rows[0].log);
    for (let i = 0; i < 20; i++) {
      await store.enqueue(jobs(10, `more${i}`), { batchId: `more${i}` });
      await loopTurn();
    }
    expect(rows).toHaveLength(1);
    reader.exec('COMMIT');
    vi.advanceTimersByTime(1000);
    expect(rows).toHaveLength(2);
    expect(rows[1].busy).toBe(0);
    expect(rows[1].checkpointed).toBe(rows[1].log);
    reader.close();
  });
});
