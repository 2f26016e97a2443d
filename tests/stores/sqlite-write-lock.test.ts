/**
 * Another process holds SQLite's write lock (a backup, a big import, an operator's sqlite3 session)
 * for longer than the busy timeout while a worker finishes a job. The worker's final write is
 * refused (SQLITE_BUSY), its renewals too, and its lease runs out on the clock: the result must
 * still be stored, on the first attempt, and Maintenance must not rescue the job meanwhile.
 * The lock is held by a real child process; the busy timeout is 20 ms so the test is quick, and
 * time (leases, renewals, retries, rescue rounds) moves on a ManualClock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Maintenance } from '../../src/queue/maintenance.js';
import { Runner } from '../../src/queue/runner.js';
import { ManualHandler, openHarness, type Harness } from '../../src/queue/testing/runner-harness.js';
import { holdWriteLock, type WriteLockHolder } from '../../src/stores/sqlite/sqlite-lock-holder.js';

let h: Harness;
let runner: Runner | null = null;
let maintenance: Maintenance | null = null;
let holder: WriteLockHolder | null = null;

beforeEach(async () => {
  h = await openHarness({ busyTimeoutMs: 20 });
});

afterEach(async () => {
  await holder?.release();
  holder = null;
  runner?.abandon();
  runner = null;
  maintenance?.stop();
  maintenance = null;
  await h.close();
});

describe('a second process holding the SQLite write lock', () => {
  it('a finished job keeps its result through a lock longer than its lease: completed on its first attempt', async () => {
    const [id] = await h.enqueue([{ sku: 'LOCKED' }]);
    const handler = new ManualHandler();
    runner = new Runner({
      store: h.store, handler, workerId: 'w1', logger: h.logger, clock: h.clock, concurrency: 1,
      leaseMs: 30_000, pollMs: 1_000, backoff: () => 1_000, watch: false,
    });
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, leaseMs: 30_000 });
    await runner.start();
    maintenance.start();
    await handler.waitForStarts(1);

    holder = await holdWriteLock(h.path);
    handler.run_(id).resolve({ forecastFor: 'LOCKED' });
    await h.logger.waitFor('settle', { jobId: id });
    // 45 s under the lock: well past the 30 s lease; renewals, retries and rescues are all refused.
    await h.clock.advance(45_000);
    expect((await readWithoutLock(h, id)).status).toBe('running');
    expect(h.logger.events('settle').length).toBeGreaterThan(3);

    await holder.release();
    holder = null;
    await h.clock.advance(10_000); // the next try of the final write gets through
    const job = (await h.store.getJob(id))!;
    expect(job).toMatchObject({ status: 'completed', attempts: 1, result: { forecastFor: 'LOCKED' } });
    expect(runner.counters).toMatchObject({ completed: 1, fenced: 0 });
    expect(runner.counters.settleRetries).toBeGreaterThan(0);
    expect(h.logger.events('rescue').filter((e) => e.obj.jobId === id)).toEqual([]);
    // Nothing runs it again.
    await h.clock.advance(60_000);
    expect(handler.started).toHaveLength(1);
  });

  it('rescue after a refused spell still takes leases that had run out before it, and only those', async () => {
    const [deadBefore, alive] = await h.enqueue([{ sku: 'dead' }, { sku: 'still-alive' }]);
    // Rescue rounds by hand (one every lease/4 = 1 s when started): this test places them.
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, leaseMs: 4_000 });
    await h.store.claim({ workerId: 'dead', limit: 1, leaseMs: 2_000 }); // never renewed: out at 2 s
    await h.clock.advance(4_500);
    const [live] = await h.store.claim({ workerId: 'live', limit: 1, leaseMs: 4_000 }); // out at 8.5 s
    expect(live.jobId).toBe(alive);
    await h.clock.advance(500);

    holder = await holdWriteLock(h.path);
    await maintenance.rescue(); // at 5 s: refused
    await h.clock.advance(5_000);
    await maintenance.rescue(); // at 10 s: refused; the live lease ran out at 8.5 s, unrenewable
    expect(h.logger.entries.filter((e) => e.msg === 'Maintenance: rescue failed')).toHaveLength(2);
    await holder.release();
    holder = null;

    await maintenance.rescue();
    expect((await h.store.getJob(deadBefore))!.status).toBe('pending');
    expect((await h.store.getJob(alive))!.status).toBe('running');
    expect(await h.store.complete(live, 'kept')).toBe(true);
    expect((await h.store.getJob(alive))!).toMatchObject({ status: 'completed', attempts: 1, result: 'kept' });
  });

  it('the grace ends a lease period after the database takes writes again', async () => {
    const [id] = await h.enqueue([{}]);
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, leaseMs: 4_000 });
    maintenance.start();
    holder = await holdWriteLock(h.path);
    await h.clock.advance(2_000);
    await holder.release();
    holder = null;
    await h.clock.advance(1_000);
    // A worker that claims now and dies is rescued, at the latest, a lease period after its lease ran out.
    await h.store.claim({ workerId: 'dies', limit: 1, leaseMs: 4_000 });
    await h.clock.advance(4_000 + 4_000 + 1_000);
    expect((await h.store.getJob(id))!.status).toBe('pending');
    expect(maintenance.graceMs(h.clock.now())).toBe(0);
  });
});

/** getJob is a read: WAL lets it through while the other process holds the write lock. */
async function readWithoutLock(harness: Harness, id: number) {
  return (await harness.store.getJob(id))!;
}
