import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointThread, type CheckpointThread } from './sqlite-checkpoint-thread.js';
import type { CheckpointBackground, CheckpointRow } from './sqlite-checkpoints.js';

describe('checkpointThread', () => {
  let dir = '';
  let db: Database.Database;
  const threads: Array<{ thread: CheckpointThread; background: CheckpointBackground }> = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skucast-checkpoint-thread-'));
    db = new Database(join(dir, 'jobs.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x)');
  });
  afterEach(async () => {
    for (const { thread, background } of threads.splice(0)) {
      background.stop();
      await thread.closed();
    }
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const inlineRow = (): CheckpointRow => db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as CheckpointRow;
  /** A thread's background, and a promise of its next `done`. */
  const make = (options: { file?: string; driver?: string; inline?: () => CheckpointRow; warn?: (m: string) => void } = {}) => {
    let signal: () => void = () => undefined;
    const thread = checkpointThread({
      file: options.file ?? join(dir, 'jobs.db'), synchronous: 'NORMAL', busyTimeoutMs: 1000,
      inline: options.inline ?? inlineRow, warn: options.warn ?? (() => undefined), driver: options.driver,
    });
    const background = thread.background(() => signal());
    threads.push({ thread, background });
    const next = () => new Promise<void>((resolve) => { signal = resolve; });
    return { thread, background, next };
  };
  const insert = (n: number) => {
    const stmt = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => { for (let i = 0; i < n; i++) stmt.run('x'.repeat(200)); })();
  };

  it('runs the checkpoint on its own connection and answers in shared memory, also without a loop turn', async () => {
    insert(2000);
    const { background, next } = make();
    expect(background.take()).toBeNull(); // nothing asked
    const answered = next();
    background.start();
    background.settle(10_000); // blocks this thread: the answer cannot come through the event loop
    const row = background.take();
    expect(row).not.toBeInstanceOf(Error);
    expect((row as CheckpointRow).busy).toBe(0);
    expect((row as CheckpointRow).log).toBeGreaterThan(100);
    expect((row as CheckpointRow).checkpointed).toBe((row as CheckpointRow).log);
    expect(background.take()).toBeNull(); // taken once
    await answered; // and the loop is told as well
    // Every frame is in the main file: this connection's own checkpoint has nothing left to copy
    // (it restarts nothing either: log is what the WAL holds, all of it checkpointed).
    const after = inlineRow();
    expect(after.checkpointed).toBe(after.log);
  });

  it('hands back what the checkpoint threw, with its message', async () => {
    const { background } = make({ file: join(dir, 'missing', 'jobs.db') });
    background.start();
    background.settle(10_000);
    const outcome = background.take();
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/directory does not exist|unable to open/i);
    // It is asked again, on the same thread, and fails alike.
    background.start();
    background.settle(10_000);
    expect(background.take()).toBeInstanceOf(Error);
  });

  it('a thread that cannot run breaks down to checkpoints on the caller\'s thread, with one warning', async () => {
    const warnings: string[] = [];
    let inlineRuns = 0;
    const { background, next } = make({
      driver: join(dir, 'no-such-driver.js'), warn: (m) => warnings.push(m), inline: () => (inlineRuns++, inlineRow()),
    });
    const exited = next();
    insert(100);
    background.start(); // the thread starts, fails to load its driver and exits
    await exited;
    const outcome = background.take();
    expect(inlineRuns).toBe(1);
    expect((outcome as CheckpointRow).checkpointed).toBe((outcome as CheckpointRow).log);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/checkpoint thread (failed|exited)/);
    insert(10);
    background.start(); // from now on, at once, here
    expect(inlineRuns).toBe(2);
    expect(background.take()).not.toBeNull();
    expect(warnings).toHaveLength(1);
  });

  it('stop() lets the thread close its connection and exit; closed() resolves then', async () => {
    insert(10);
    const { thread, background } = make();
    background.start();
    background.settle(10_000);
    background.take();
    background.stop();
    await thread.closed();
    background.start(); // asks nothing once stopped
    expect(background.take()).toBeNull();
    // The thread's connection is gone: this one is the last, and may switch the file out of WAL.
    expect(db.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
  });

  it('a thread never asked is never started', async () => {
    const { thread, background } = make({ driver: join(dir, 'no-such-driver.js'), warn: () => { throw new Error('started'); } });
    background.stop();
    await thread.closed();
  });
});
