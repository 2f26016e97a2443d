import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newJob } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import { scheduleCheckpoints, type CheckpointRow } from './sqlite-checkpoints.js';
import { holdWriteLock } from './sqlite-lock-holder.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const hour = 3_600_000;
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The row of a complete checkpoint that found `frames` in the WAL. */
const complete = (frames: number): CheckpointRow => ({ busy: 0, log: frames, checkpointed: frames });

describe('scheduleCheckpoints', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs nothing inside committed(): the everyCommits-th commit checkpoints in the next loop turn', async () => {
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(50)), everyCommits: 3, maxDelayMs: hour });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(0);
    schedule.committed();
    expect(runs).toBe(0);
    expect(schedule.waiting).toBe(3);
    await loopTurn();
    expect(runs).toBe(1);
    expect(schedule.waiting).toBe(0);
    schedule.stop();
  });

  it('scales the count so that about targetFrames are added between checkpoints, within 8 to 1,024 commits', async () => {
    let frames = 0; // what the WAL holds when the checkpoint runs
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(frames)), everyCommits: 32, targetFrames: 1000, maxDelayMs: hour });
    const commits = async (n: number) => {
      for (let i = 0; i < n; i++) schedule.committed();
      await loopTurn();
    };
    frames = 800; // 32 commits added 800 frames
    await commits(32);
    expect(schedule.everyCommits).toBe(40);
    frames = 500; // shorter than before: the WAL started over, and 40 commits added 500
    await commits(40);
    expect(schedule.everyCommits).toBe(80);
    frames = 520; // 80 commits added only 20 (small transactions)
    await commits(80);
    expect(schedule.everyCommits).toBe(1024);
    frames = 100;
    await commits(1024);
    expect(schedule.everyCommits).toBe(1024);
    frames = 9000; // a WAL that did not start over: 1,024 commits added 8,900
    await commits(1024);
    expect(schedule.everyCommits).toBe(1); // long WAL: after every commit
    frames = 40; // started over
    await commits(1);
    expect(schedule.everyCommits).toBe(115); // the count the 8,900 frames gave
    expect(runs).toBe(6);
    schedule.stop();
  });

  it('while the WAL is long, checkpoints after every commit, in the next loop turn, until it is short again', async () => {
    let frames = 2500;
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(frames)), everyCommits: 2, targetFrames: 1000, maxDelayMs: hour });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    frames = 2600;
    schedule.committed();
    expect(runs).toBe(1); // never inside committed()
    await loopTurn();
    expect(runs).toBe(2);
    frames = 30; // started over
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(3);
    schedule.committed(); // short again: counting, 8 commits (2 commits added 2,500 frames: the floor)
    await loopTurn();
    expect(runs).toBe(3);
    expect(schedule.everyCommits).toBe(8);
    schedule.stop();
  });

  it('checkpoints at most maxDelayMs after the first commit not yet checkpointed, even while commits go on', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(50)), everyCommits: 1000, maxDelayMs: 1000 });
    schedule.committed();
    vi.advanceTimersByTime(600);
    schedule.committed(); // does not push the deadline back
    vi.advanceTimersByTime(399);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(10 * hour);
    expect(runs).toBe(1); // nothing committed since: no timer left running
    expect(schedule.everyCommits).toBe(1000); // 2 commits say nothing of what 1,000 write
    schedule.stop();
  });

  it('with deadline: false (SQLITE_SYNCHRONOUS=FULL) a quiet commit waits for the count, not for a deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(50)), everyCommits: 2, maxDelayMs: 1000, deadline: false });
    schedule.committed();
    vi.advanceTimersByTime(10 * hour);
    expect(runs).toBe(0);
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    schedule.stop();
  });

  // A caller that awaits one store call after another never lets the loop turn: the next-turn
  // checkpoint and the timer wait, and the WAL would grow with every call.
  it('runs an overdue checkpoint inside committed(): past the deadline, or at four times the count', () => {
    let clock = 0;
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(800 * runs)), everyCommits: 2, maxDelayMs: 1000, now: () => clock });
    for (let i = 0; i < 7; i++) schedule.committed();
    expect(runs).toBe(0);
    schedule.committed(); // the 8th: four times the count
    expect(runs).toBe(1);
    expect(schedule.waiting).toBe(0);
    expect(schedule.everyCommits).toBe(10); // 8 commits added 800 frames: 100 a commit
    schedule.committed();
    clock = 999;
    schedule.committed();
    expect(runs).toBe(1);
    clock = 1000;
    schedule.committed(); // a second after the first one waiting
    expect(runs).toBe(2);
    schedule.stop();
  });

  it('an incomplete checkpoint (busy, or a reader on an older snapshot) keeps its commits waiting; only the timer tries again, soon at first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const rows: CheckpointRow[] = [
      { busy: 1, log: -1, checkpointed: -1 }, // another connection was checkpointing
      { busy: 0, log: 1200, checkpointed: 300 }, // a reader still reads frames 301 and on
      { busy: 0, log: 1250, checkpointed: 300 },
      complete(1300),
      { busy: 1, log: -1, checkpointed: -1 },
      complete(1350),
    ];
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => rows[runs++], everyCommits: 2, maxDelayMs: 100 });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    for (let i = 0; i < 20; i++) { // commits go on, the loop turning: no checkpoint per commit
      schedule.committed();
      await loopTurn();
    }
    expect(runs).toBe(1);
    expect(schedule.waiting).toBe(22);
    vi.advanceTimersByTime(9);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1); // 10 ms after the first
    expect(runs).toBe(2);
    expect(schedule.waiting).toBe(22);
    expect(schedule.everyCommits).toBe(2); // nothing learnt from incomplete rows
    vi.advanceTimersByTime(19);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(1); // then 20 ms
    expect(runs).toBe(3);
    vi.advanceTimersByTime(40); // then 40 ms
    expect(runs).toBe(4);
    expect(schedule.waiting).toBe(0);
    expect(schedule.everyCommits).toBe(1); // 1,300 frames: the WAL is long
    schedule.committed();
    await loopTurn(); // busy again: the retries start over from 10 ms
    expect(runs).toBe(5);
    vi.advanceTimersByTime(10);
    expect(runs).toBe(6);
    vi.advanceTimersByTime(hour);
    expect(runs).toBe(6);
    schedule.stop();
  });

  it('a failing checkpoint warns once, keeps its commits waiting, and only the timer tries again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const warnings: string[] = [];
    let fail = true;
    let runs = 0;
    const schedule = scheduleCheckpoints({
      checkpoint: () => {
        runs++;
        if (fail) throw new Error('disk I/O error');
        return complete(10);
      },
      everyCommits: 2, maxDelayMs: 100, warn: (m) => warnings.push(m),
    });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    for (let i = 0; i < 20; i++) schedule.committed(); // no checkpoint per commit while failing
    await loopTurn();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
    expect(schedule.waiting).toBe(22);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('disk I/O error');
    fail = false;
    vi.advanceTimersByTime(100);
    expect(runs).toBe(3);
    expect(schedule.waiting).toBe(0);
    vi.advanceTimersByTime(hour);
    expect(runs).toBe(3);
    schedule.stop();
  });

  it('restarts the WAL by force after a complete checkpoint that found it restartFrames long; not again before it grew as much more', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const rows: CheckpointRow[] = [
      complete(500),
      { busy: 0, log: 4500, checkpointed: 4400 }, // long, but another writer's snapshot held back its tail
      complete(4600),
      complete(5000),
      complete(8900),
      complete(9100),
      complete(300),
      complete(4100),
    ];
    const restarts: Array<CheckpointRow | Error> = [
      complete(4610), // done: the next writer starts the WAL over
      { busy: 1, log: -1, checkpointed: -1 }, // a reader stayed past the wait
      new Error('disk I/O error'),
      complete(4100),
    ];
    let runs = 0;
    let forced = 0;
    const schedule = scheduleCheckpoints({
      checkpoint: () => rows[runs++],
      restart: () => {
        const r = restarts[forced++];
        if (r instanceof Error) throw r;
        return r;
      },
      restartFrames: 4000, everyCommits: 2, maxDelayMs: 1000,
    });
    const commits = async (n: number) => {
      for (let i = 0; i < n; i++) schedule.committed();
      await loopTurn();
    };
    await commits(2);
    expect([runs, forced]).toEqual([1, 0]); // 500 frames: short of it
    await commits(8); // 2 commits wrote 500 frames: the count is the least, 8
    expect([runs, forced]).toEqual([2, 0]); // incomplete: no restart after it
    vi.advanceTimersByTime(10); // the first retry comes soon
    expect([runs, forced]).toEqual([3, 1]); // complete and 4,600 long: restarted
    expect(schedule.waiting).toBe(0);
    expect(schedule.everyCommits).toBe(8); // the next writer starts it over: not long-WAL mode
    await commits(8);
    expect([runs, forced]).toEqual([4, 2]); // 5,000 new frames: the restart is busy
    expect(schedule.everyCommits).toBe(1); // long-WAL mode
    await commits(1);
    expect([runs, forced]).toEqual([5, 2]); // 8,900: not 4,000 more than 5,000 yet
    await commits(1);
    expect([runs, forced]).toEqual([6, 3]); // 9,100: tried again, and it throws: no harm
    expect(schedule.waiting).toBe(0); // the checkpoint before it had completed
    await commits(1);
    expect([runs, forced]).toEqual([7, 3]); // 300: the WAL started over by itself
    await commits(8);
    expect([runs, forced]).toEqual([8, 4]); // 4,100: the bound is 4,000 again, not 13,100
    schedule.stop();
  });

  it('stop() checkpoints the commits still waiting, once, and nothing after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(10)), everyCommits: 2, maxDelayMs: 10 });
    schedule.committed();
    schedule.stop();
    expect(runs).toBe(1);
    schedule.committed();
    schedule.committed();
    schedule.stop();
    vi.advanceTimersByTime(hour);
    await loopTurn();
    expect(runs).toBe(1);
    const idle = scheduleCheckpoints({ checkpoint: () => (runs++, complete(0)) });
    idle.stop(); // nothing waiting: nothing to sync
    expect(runs).toBe(1);
  });
});

describe('the SQLite store checkpoints outside its commits', () => {
  let dir = '';
  const opened: Store[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skucast-checkpoints-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = () => join(dir, 'jobs.db');
  const open = async (checkpoints: SqliteStoreOptions['checkpoints']) => {
    const store = await openSqliteStore(file(), { checkpoints });
    opened.push(store);
    await store.migrate();
    return store;
  };
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
      const path = join(dir, `wal-${restartFrames}.db`);
      const store = await openSqliteStore(path, {
        checkpoints: { maxDelayMs: 50, restartFrames, onCheckpoint: (row) => { rows.push(row); if (row.log > 1000) signal(); } },
      });
      opened.push(store);
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
    await store.enqueue(jobs(260_000, "burst"), { batchId: "burst" }); // one transaction: about 75 MB of WAL
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
    opened.splice(opened.indexOf(store), 1);
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
