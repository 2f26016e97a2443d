import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Runner } from './runner.js';
import type { Lease } from './job.js';
import type { JobContext, JobHandler } from './job-handler.js';
import { ManualHandler, openHarness, type Harness } from './testing/runner-harness.js';

let h: Harness;
let runner: Runner | null = null;

beforeEach(async () => {
  h = await openHarness();
});

afterEach(async () => {
  runner?.abandon();
  runner = null;
  await h.close();
});

function makeRunner(handler: JobHandler, options: Partial<ConstructorParameters<typeof Runner>[0]> = {}): Runner {
  runner = new Runner({
    store: h.store, handler, workerId: 'w1', logger: h.logger, clock: h.clock, concurrency: 2,
    leaseMs: 30_000, pollMs: 1_000, backoff: () => 1_000, ...options,
  });
  return runner;
}

const status = async (id: number) => (await h.store.getJob(id))!;
/** Rescued jobs claimable at once (rescue's own backoff is tested in the store suite). */
const noBackoff = { backoffBaseMs: 0, backoffMaxMs: 0 };
/** The harness's store whose complete() first runs `before` for the lease (it may wait or throw). */
const completingAfter = (before: (lease: Lease) => unknown) => ({
  ...h.store,
  complete: async (...a: Parameters<typeof h.store.complete>) => {
    await before(a[0]);
    return h.store.complete(...a);
  },
});
/** What SQLite says when another connection holds the write lock: transient, tried again. */
const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('Runner', () => {
  it('claims, runs and completes jobs, logging the seed line for each pickup', async () => {
    const ids = await h.enqueue([{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }]);
    const r = makeRunner({ run: async (job) => ({ forecastFor: job.sku }) });
    await r.start();
    await h.logger.waitFor('complete', {}, 3);
    for (const [i, id] of ids.entries()) {
      const job = await status(id);
      expect(job.status).toBe('completed');
      expect(job.progress).toBe(100);
      expect(job.attempts).toBe(1);
      expect(job.result).toEqual({ forecastFor: ['A', 'B', 'C'][i] });
    }
    expect(h.logger.events('claim').map((e) => e.msg)).toContain(`Worker: Picked up job ${ids[0]} (sku A, model naive)`);
    expect(r.counters).toMatchObject({ claimed: 3, completed: 3, failed: 0 });
  });

  it("starts a job's handler before logging its pickup (the line's cost is not in the pickup)", async () => {
    const [id] = await h.enqueue([{ sku: 'A' }]);
    let linesAtStart = -1;
    const r = makeRunner({
      run: async (job) => {
        linesAtStart = h.logger.events('claim').filter((e) => e.obj.jobId === job.id).length;
        return {};
      },
    });
    await r.start();
    await h.logger.waitFor('complete', { jobId: id });
    expect(linesAtStart).toBe(0);
    expect(h.logger.events('claim').filter((e) => e.obj.jobId === id)).toHaveLength(1);
  });

  it('never runs more jobs than its concurrency and claims again as slots free', async () => {
    const ids = await h.enqueue([{}, {}, {}, {}, {}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 2 });
    await r.start();
    await handler.waitForStarts(2);
    await h.clock.advance(0);
    expect(handler.started.map((j) => j.id)).toEqual(ids.slice(0, 2));
    expect((await h.store.summary()).running).toBe(2);
    handler.run_(ids[0]).resolve('done');
    await handler.waitForStarts(3);
    expect(handler.started.map((j) => j.id)).toEqual(ids.slice(0, 3));
    await h.logger.waitFor('complete'); // held jobs count a settling one until its write is done
    expect(r.running).toBe(2);
  });

  it('refills every slot freed by jobs finishing together with one claim, not one claim per slot', async () => {
    const ids = await h.enqueue([{}, {}, {}, {}, {}, {}, {}, {}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 4 });
    await r.start();
    await handler.waitForStarts(4);
    const claim = vi.spyOn(h.store, 'claim');
    // The four completes share one write (the store's group commit): their slots free in one turn.
    for (const id of ids.slice(0, 4)) handler.run_(id).resolve('done');
    await handler.waitForStarts(8);
    expect(claim.mock.calls.map(([options]) => options.limit)).toEqual([4]);
    await h.logger.waitFor('complete', {}, 4);
    expect(r.running).toBe(4);
  });

  it('claims at once for a single job that finishes while the others still run (no timer to wait for)', async () => {
    const ids = await h.enqueue([{}, {}, {}, {}, {}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 4 });
    await r.start();
    await handler.waitForStarts(4);
    const claim = vi.spyOn(h.store, 'claim');
    handler.run_(ids[0]).resolve('done');
    await handler.waitForStarts(5); // the manual clock never moves: only the wake can start it
    expect(claim.mock.calls.map(([options]) => options.limit)).toEqual([1]);
  });

  it('claims for a finished job\'s slot while its final write is still in flight, so the two can share a transaction', async () => {
    const ids = await h.enqueue([{ sku: 'A' }, { sku: 'B' }]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const store = completingAfter(() => held);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { store, concurrency: 1 });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(ids[0]).resolve('done');
    await handler.waitForStarts(2); // B starts while A's complete has not been answered
    expect((await status(ids[0])).status).toBe('running');
    expect(r.running).toBe(2);
    release();
    await h.logger.waitFor('complete', { jobId: ids[0] });
    expect((await status(ids[0])).status).toBe('completed');
    expect(r.running).toBe(1);
  });

  it('a final write that fails gives its slot back before it is tried again: a refusing store does not make the runner claim more', async () => {
    const ids = await h.enqueue([{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }]);
    let refusals = 2;
    const store = completingAfter((lease) => {
      if (lease.jobId === ids[0] && refusals-- > 0) throw busy();
    });
    const handler = new ManualHandler();
    const r = makeRunner(handler, { store, concurrency: 1 });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(ids[0]).resolve('done');
    await h.logger.waitFor('settle', {}, 1);
    await h.clock.advance(0);
    expect(handler.started.map((j) => j.id)).toEqual(ids.slice(0, 1)); // A's slot is not claimable while A is tried again
    await h.clock.advance(100);
    await h.logger.waitFor('settle', {}, 2);
    expect(handler.started.map((j) => j.id)).toEqual(ids.slice(0, 1));
    expect(r.running).toBe(1);
    await h.clock.advance(200);
    await h.logger.waitFor('complete', { jobId: ids[0] });
    await handler.waitForStarts(2);
    expect(handler.started.map((j) => j.id)).toEqual(ids.slice(0, 2)); // C waits for B's slot
    handler.run_(ids[1]).resolve('done');
    await handler.waitForStarts(3);
    expect(handler.started.map((j) => j.id)).toEqual(ids);
  });

  it('starts higher-priority (lower number) jobs first, FIFO within a priority', async () => {
    const low = await h.enqueue([{ priority: 3, sku: 'low1' }, { priority: 3, sku: 'low2' }]);
    const high = await h.enqueue([{ priority: 1, sku: 'high' }]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 1 });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(high[0]).resolve(1);
    await handler.waitForStarts(2);
    handler.run_(low[0]).resolve(1);
    await handler.waitForStarts(3);
    expect(handler.started.map((j) => j.sku)).toEqual(['high', 'low1', 'low2']);
  });

  it('writes progress at most once per 250 ms per job, and 100 on completion', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    makeRunner(handler);
    await runner!.start();
    await handler.waitForStarts(1);
    const { ctx, resolve } = handler.run_(id);
    ctx.reportProgress(10);
    ctx.reportProgress(20);
    ctx.reportProgress(30);
    await h.clock.advance(0);
    expect((await status(id)).progress).toBe(10);
    await h.clock.advance(249);
    expect((await status(id)).progress).toBe(10);
    await h.clock.advance(1);
    expect((await status(id)).progress).toBe(30);
    ctx.reportProgress(60);
    resolve('ok');
    await h.logger.waitFor('complete');
    const job = await status(id);
    expect(job.status).toBe('completed');
    expect(job.progress).toBe(100);
  });

  it('retries a thrown error with backoff, then fails with a reason naming the attempts', async () => {
    const [id] = await h.enqueue([{ maxAttempts: 3 }]);
    let runs = 0;
    const r = makeRunner({ run: async () => { runs++; throw new Error('database of forecasts is busy'); } });
    await r.start();
    await h.logger.waitFor('retry');
    let job = await status(id);
    expect(job.status).toBe('pending');
    expect(job.runAt).toBe(h.clock.now() + 1_000);
    expect(job.error).toBe('database of forecasts is busy');
    // Not claimable before the backoff has passed, even if woken.
    r.wake();
    await h.clock.advance(999);
    expect(runs).toBe(1);
    await h.clock.advance(1);
    await h.logger.waitFor('retry', {}, 2);
    expect(runs).toBe(2);
    await h.clock.advance(1_000);
    await h.logger.waitFor('fail');
    job = await status(id);
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(3);
    expect(job.error).toBe('Failed after 3 attempts: database of forecasts is busy');
    expect(r.counters).toMatchObject({ retried: 2, failed: 1 });
  });

  it('fails an attempt that outruns its run timeout (a handler that never returns) and retries it with backoff', async () => {
    const [id] = await h.enqueue([{ maxAttempts: 2 }]);
    const never: JobHandler = { run: () => new Promise(() => undefined) }; // ignores its signal too
    const aborted: unknown[] = [];
    const r = makeRunner({ run: (job, ctx) => { ctx.signal.addEventListener('abort', () => aborted.push(ctx.signal.reason)); return never.run(job, ctx); } },
      { runTimeoutMs: () => 5_000 });
    await r.start();
    await h.clock.advance(4_999);
    expect((await status(id)).status).toBe('running');
    await h.clock.advance(1);
    await h.logger.waitFor('retry');
    let job = await status(id);
    expect(job.status).toBe('pending'); // failed and retried, not released: the attempt counts
    expect(job.attempts).toBe(1);
    expect(job.error).toBe('timed out after 5 s');
    expect(job.runAt).toBe(h.clock.now() + 1_000);
    expect((aborted[0] as Error).name).toBe('JobTimeoutError');
    expect(r.running).toBe(0); // the slot is free although the handler never returned
    await h.clock.advance(1_000);
    await h.clock.advance(5_000);
    await h.logger.waitFor('fail');
    job = await status(id);
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(2);
    expect(job.error).toBe('Failed after 2 attempts: timed out after 5 s');
    expect(r.counters).toMatchObject({ retried: 1, failed: 1, timedOut: 2, released: 0 });
  });

  it('times a queuing handler from runStarted, not from run: the wait for a thread is not run time, and its lease is renewed meanwhile', async () => {
    const [id] = await h.enqueue([{ maxAttempts: 2 }]);
    const handler = Object.assign(new ManualHandler(), { queuesRuns: true });
    const r = makeRunner(handler, { runTimeoutMs: () => 5_000, concurrency: 1 });
    await r.start();
    await handler.waitForStarts(1);
    // Waiting (in a real worker: in the thread pool's queue behind other fits) for 20 s, four
    // times its timeout: nothing times out, and the held lease is renewed like a running one.
    await h.clock.advance(20_000);
    expect((await status(id)).status).toBe('running');
    expect(r.counters).toMatchObject({ timedOut: 0, renewed: 2 });
    expect(handler.run_(id).ctx.signal.aborted).toBe(false);
    handler.run_(id).ctx.runStarted!();
    handler.run_(id).ctx.runStarted!(); // idempotent: the clock does not restart
    await h.clock.advance(4_999);
    expect((await status(id)).status).toBe('running');
    await h.clock.advance(1);
    await h.logger.waitFor('retry');
    const job = await status(id);
    expect(job.error).toBe('timed out after 5 s');
    expect(job.attempts).toBe(1);
    expect((handler.run_(id).ctx.signal.reason as Error).name).toBe('JobTimeoutError');
  });

  it('asks the run timeout per job and lets a job that finishes in time complete', async () => {
    const [slow, quick] = await h.enqueue([{ sku: 'SLOW' }, { sku: 'QUICK' }]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { runTimeoutMs: async (job) => (job.sku === 'SLOW' ? 60_000 : 2_000) });
    await r.start();
    await handler.waitForStarts(2);
    await h.clock.advance(1_999);
    handler.run_(quick).resolve('in time');
    await h.logger.waitFor('complete');
    await h.clock.advance(30_000);
    expect((await status(slow)).status).toBe('running');
    await h.clock.advance(30_000);
    await h.logger.waitFor('retry');
    expect((await status(slow)).error).toBe('timed out after 60 s');
    expect((await status(quick)).status).toBe('completed');
  });

  it('starts the handler without waiting for the run timeout read, and counts the time it already ran', async () => {
    const [slow, late] = await h.enqueue([{ sku: 'SLOW' }, { sku: 'LATE' }]);
    const handler = new ManualHandler();
    // The run timeout read (a dataset read in a worker) answers only when the test says so.
    const reads = new Map<string, (ms: number) => void>();
    const r = makeRunner(handler, { runTimeoutMs: (job) => new Promise<number>((resolve) => reads.set(job.sku, resolve)) });
    await r.start();
    await handler.waitForStarts(2); // both handlers run while their reads are unanswered
    expect(reads.size).toBe(2);
    await h.clock.advance(3_000);
    reads.get('SLOW')!(5_000); // 3 s of its 5 already ran: 2 s left
    reads.get('LATE')!(2_000); // known only after its limit passed: fires at once
    await h.clock.advance(0);
    await h.logger.waitFor('retry');
    expect((await status(late)).error).toBe('timed out after 2 s');
    expect((await status(slow)).status).toBe('running');
    await h.clock.advance(1_999);
    expect((await status(slow)).status).toBe('running');
    await h.clock.advance(1);
    await h.logger.waitFor('retry', {}, 2);
    expect((await status(slow)).error).toBe('timed out after 5 s');
    expect(r.counters.timedOut).toBe(2);
  });

  it('still bounds a cancelled run whose handler ignores its signal when the run timeout read answers after the cancel', async () => {
    const [id] = await h.enqueue([{}]);
    const never: JobHandler = { run: () => new Promise(() => undefined) }; // an inline fit: ignores its signal
    let answer!: (ms: number) => void;
    const r = makeRunner(never, { concurrency: 1, runTimeoutMs: () => new Promise<number>((resolve) => (answer = resolve)) });
    await r.start();
    await vi.waitFor(() => expect(answer).toBeDefined()); // the handler runs, its limit unknown yet
    await h.store.cancel({ ids: [id] });
    await h.logger.waitFor('cancel', { jobId: id });
    answer(5_000); // the read answers after the cancel
    await h.clock.advance(5_000);
    // Before the fix the slot stayed held for ever: a read answering after the let-go armed no limit.
    await vi.waitFor(() => expect(r.running).toBe(0));
    expect((await status(id)).status).toBe('cancelled');
    expect(r.counters.timedOut).toBe(0); // a let-go run's timeout frees the slot, is not a timeout
  });

  it('runs a job whose run timeout read never answers (store down) without a limit; a cancel still stops it', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 1, runTimeoutMs: () => new Promise<number>(() => undefined) });
    await r.start();
    await handler.waitForStarts(1); // before 9431fbd it waited for the read and never started
    await h.clock.advance(3_600_000); // an hour, its lease renewed meanwhile: no limit, no timeout
    expect((await status(id)).status).toBe('running');
    expect(r.counters.timedOut).toBe(0);
    await h.store.cancel({ ids: [id] });
    await h.logger.waitFor('cancel', { jobId: id });
    await vi.waitFor(() => expect(r.running).toBe(0));
  });

  it('runs a job whose run timeout read fails without a limit, and logs no timeout event for a job already done', async () => {
    const [early, late] = await h.enqueue([{ sku: 'EARLY' }, { sku: 'LATE' }]);
    const handler = new ManualHandler();
    const reads = new Map<string, (error: Error) => void>();
    const r = makeRunner(handler, { runTimeoutMs: (job) => new Promise<number>((_, reject) => reads.set(job.sku, reject)) });
    await r.start();
    await handler.waitForStarts(2);
    reads.get('EARLY')!(new Error('connection refused'));
    await h.clock.advance(3_600_000);
    expect((await status(early)).status).toBe('running'); // no limit
    expect(h.logger.events('timeout').map((e) => e.obj.jobId)).toEqual([early]);
    handler.run_(late).resolve('done');
    await h.logger.waitFor('complete', { jobId: late });
    reads.get('LATE')!(new Error('connection refused')); // answers after the job completed
    await h.clock.advance(0);
    // Before: a warn {"event":"timeout"} "running it without one" for a job already completed.
    expect(h.logger.events('timeout').map((e) => e.obj.jobId)).toEqual([early]);
    expect(r.counters.timedOut).toBe(0);
  });

  it('fails a permanent error (bad input data) at once without retrying', async () => {
    const [id] = await h.enqueue([{ maxAttempts: 3 }]);
    class InputDataError extends Error { override name = 'InputDataError'; }
    const r = makeRunner(
      { run: async () => { throw new InputDataError("SKU 'A' has 3 points; holt_winters needs at least 24"); } },
      { isPermanent: (e) => (e as Error).name === 'InputDataError' },
    );
    await r.start();
    await h.logger.waitFor('fail');
    const job = await status(id);
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.error).toBe("SKU 'A' has 3 points; holt_winters needs at least 24");
    expect(r.counters.retried).toBe(0);
  });

  it('claims a job the summary counters do not show (a row written outside the app)', async () => {
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 1 });
    await r.start();
    await h.clock.advance(1_000); // a claim came back empty: the queue looks empty
    const db = new Database(h.path);
    try {
      db.prepare(`INSERT INTO jobs (sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
                  VALUES ('X', 'naive', 'grid', 'manual_trigger', 3, 'pending', 0, 0, 0)`).run();
    } finally {
      db.close();
    }
    expect((await h.store.summary()).pending).toBe(0);
    await h.clock.advance(2_000); // backstop polls
    await handler.waitForStarts(1);
    expect(handler.started[0].sku).toBe('X');
  });

  it('with SKIP LOCKED, reads the claim index at a backstop poll of an empty queue instead of claiming; a wake or a due job still claims', async () => {
    const claim = vi.fn((options: Parameters<Harness['store']['claim']>[0]) => h.store.claim(options));
    const claimable = vi.fn(() => h.store.claimable());
    const store = { ...h.store, capabilities: { ...h.store.capabilities, skipLocked: true }, claim, claimable };
    const handler = new ManualHandler();
    const r = makeRunner(handler, { store, concurrency: 1, watch: false });
    await r.start();
    await h.clock.advance(0);
    expect(claim).toHaveBeenCalledTimes(1); // the first look claims: the queue is not known to be empty yet
    await h.clock.advance(1_000); // backstop poll, nothing pending
    expect(claimable).toHaveBeenCalledTimes(1);
    expect(claim).toHaveBeenCalledTimes(1);
    const [due] = await h.enqueue([{ sku: 'due' }]); // no wake: only the next poll can find it
    await h.clock.advance(1_000);
    await handler.waitForStarts(1);
    expect(handler.started[0].id).toBe(due);
    expect(claimable).toHaveBeenCalledTimes(2);
    handler.run_(due).resolve('done');
    await h.logger.waitFor('complete');
    await h.clock.advance(0);
    const claimsBefore = claim.mock.calls.length;
    const [woken] = await h.enqueue([{ sku: 'woken' }]);
    r.wake(); // as the store's NOTIFY would
    await handler.waitForStarts(2);
    expect(handler.started[1].id).toBe(woken);
    expect(claim.mock.calls.length).toBe(claimsBefore + 1);
    expect(claimable).toHaveBeenCalledTimes(2); // a wake claims at once, no read first
  });

  it('a stop during the claimable() read of a backstop poll sends no claim after it (none it could not abort)', async () => {
    const claim = vi.fn((options: Parameters<Harness['store']['claim']>[0]) => h.store.claim(options));
    let read: (() => void) | null = null;
    let reading: () => void = () => undefined;
    const readStarted = new Promise<void>((resolve) => { reading = resolve; });
    const claimable = vi.fn(async () => {
      if (claim.mock.calls.length === 0) return h.store.claimable();
      reading();
      await new Promise<void>((resolve) => { read = resolve; }); // held until the stop has begun
      return true; // a job became due meanwhile
    });
    const store = { ...h.store, capabilities: { ...h.store.capabilities, skipLocked: true }, claim, claimable };
    const r = makeRunner(new ManualHandler(), { store, concurrency: 1, watch: false });
    await r.start();
    await h.clock.advance(0);
    expect(claim).toHaveBeenCalledTimes(1); // the first look claims; the queue is empty
    await h.enqueue([{ sku: 'due' }]); // no wake: the backstop poll reads the index first
    void h.clock.advance(1_000);
    await readStarted;
    const drained = r.drain(5_000);
    read!();
    await drained;
    expect(claim).toHaveBeenCalledTimes(1); // was 2: a claim sent after the stop, with no way to abort it
    expect((await h.store.summary()).pending).toBe(1);
  });

  it('keeps renewing the lease of a long job so rescue leaves it alone', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { leaseMs: 3_000 });
    await r.start();
    await handler.waitForStarts(1);
    for (let t = 0; t < 10; t++) {
      await h.clock.advance(1_000);
      expect((await h.store.rescue()).rescued).toBe(0);
    }
    expect(r.counters.renewed).toBeGreaterThanOrEqual(9);
    expect(h.logger.events('renew').length).toBeGreaterThanOrEqual(9);
    handler.run_(id).resolve('long fit done');
    await h.logger.waitFor('complete');
    expect((await status(id)).status).toBe('completed');
  });

  it('stops a running job that is cancelled within the 250 ms check and goes on with the next', async () => {
    const [first, second] = await h.enqueue([{}, {}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 1, watch: false });
    await r.start();
    await handler.waitForStarts(1);
    expect(await h.store.cancel({ ids: [first] })).toBe(1);
    await h.clock.advance(250);
    await h.logger.waitFor('cancel', { jobId: first });
    expect(handler.run_(first).ctx.signal.aborted).toBe(true);
    expect((await status(first)).status).toBe('cancelled');
    expect(r.counters.cancelled).toBe(1);
    r.wake();
    await handler.waitForStarts(2);
    expect(handler.started[1].id).toBe(second);
  });

  it('stops a cancelled running job at once on the store\'s cancel wake, without waiting for the periodic check', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 1, lostCheckMs: 60_000 });
    await r.start();
    await handler.waitForStarts(1);
    await h.store.cancel({ ids: [id] });
    await h.logger.waitFor('cancel', { jobId: id }); // no clock advance: the wake alone did it
    expect(handler.run_(id).ctx.signal.aborted).toBe(true);
    expect(r.counters.cancelled).toBe(1);
  });

  it('is fenced when its lease was lost: the late result changes nothing', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { leaseMs: 3_000, watch: false });
    await r.start();
    await handler.waitForStarts(1);
    // The store has moved past the lease (as if this worker had stalled) and rescued the job;
    // another worker has taken it since.
    h.skewStore(10_000);
    expect((await h.store.rescue(noBackoff)).rescued).toBe(1);
    const [other] = await h.store.claim({ workerId: 'w2', limit: 1, leaseMs: 30_000 });
    expect(other.jobId).toBe(id);
    handler.run_(id).resolve('stale result');
    await h.logger.waitFor('fenced', { jobId: id });
    const job = await status(id);
    expect(job.status).toBe('running');
    expect(job.workerId).toBe('w2');
    expect(job.result).toBeNull();
    expect(r.counters.fenced).toBe(1);
  });

  it('aborts a job whose lease the keeper could not renew', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { leaseMs: 3_000, watch: false, lostCheckMs: 60_000, pollMs: 60_000 });
    await r.start();
    await handler.waitForStarts(1);
    const first = handler.run_(id);
    h.skewStore(10_000);
    await h.store.rescue(noBackoff);
    await h.clock.advance(1_000); // the renewal (every lease/3) finds the lease gone
    await h.logger.waitFor('fenced', { jobId: id });
    expect(first.ctx.signal.aborted).toBe(true);
    expect(r.counters.fenced).toBe(1);
    // The freed slot picks the rescued job up again, with a new lease and attempt.
    await handler.waitForStarts(2);
    expect((await status(id))).toMatchObject({ status: 'running', attempts: 2 });
    expect(r.running).toBe(1);
  });

  it('stops its stale run when the store hands it the same job again after a rescue', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { leaseMs: 3_000, watch: false, lostCheckMs: 60_000, pollMs: 60_000 });
    await r.start();
    await handler.waitForStarts(1);
    const stale = handler.run_(id);
    h.skewStore(10_000);
    await h.store.rescue(noBackoff);
    r.wake();
    await handler.waitForStarts(2);
    expect(stale.ctx.signal.aborted).toBe(true);
    expect(handler.runs.get(id)!.ctx.signal.aborted).toBe(false);
    handler.run_(id).resolve('fresh');
    await h.logger.waitFor('complete', { jobId: id });
    const job = await status(id);
    expect(job.status).toBe('completed');
    expect(job.attempts).toBe(2);
    expect(job.result).toBe('fresh');
    expect(r.running).toBe(0);
  });

  it('tries a final write the store refuses for a moment again, keeping the lease, until it goes through', async () => {
    const [id] = await h.enqueue([{ sku: 'A' }]);
    let refusals = 2;
    const store = completingAfter(() => {
      if (refusals-- > 0) throw busy();
    });
    const r = makeRunner({ run: async () => 'ok' }, { store, concurrency: 1 });
    await r.start();
    await h.logger.waitFor('settle', {}, 1);
    await h.clock.advance(100);
    await h.logger.waitFor('settle', {}, 2);
    await h.clock.advance(200);
    await h.logger.waitFor('complete');
    const job = await status(id);
    expect(job).toMatchObject({ status: 'completed', attempts: 1, result: 'ok' });
    expect(r.counters).toMatchObject({ completed: 1, settleRetries: 2, failed: 0, retried: 0 });
  });

  it('gives up a result the store refuses for good: the attempt fails and retries instead of holding the job forever', async () => {
    const [id] = await h.enqueue([{ sku: 'A' }]);
    // A constraint the row breaks: no second try can pass (not SQLITE_BUSY).
    const refused = () => Object.assign(new Error('CHECK constraint failed: result'), { code: 'SQLITE_CONSTRAINT_CHECK' });
    const store = { ...h.store, complete: async () => { throw refused(); } };
    const r = makeRunner({ run: async () => 'unstorable' }, { store, concurrency: 1 });
    await r.start();
    await h.logger.waitFor('retry');
    const job = await status(id);
    expect(job.status).toBe('pending');
    expect(job.attempts).toBe(1);
    expect(job.error).toBe('could not store the result: CHECK constraint failed: result');
    expect(r.counters).toMatchObject({ completed: 0, retried: 1, settleRetries: 0 });
    await vi.waitFor(() => expect(r.running).toBe(0)); // the slot is freed, the lease no longer renewed
  });

  it('calls onSettled after the final write; a throwing hook changes nothing and is not reported as a lost write', async () => {
    const ids = await h.enqueue([{ sku: 'A' }, { sku: 'B' }]);
    const seen: number[] = [];
    const r = makeRunner({ run: async () => 'ok' }, {
      concurrency: 1,
      onSettled: (job) => {
        seen.push(job.id);
        throw new Error('hook broke');
      },
    });
    await r.start();
    await h.logger.waitFor('complete', {}, 2);
    await h.logger.waitFor('settled-hook', {}, 2);
    for (const id of ids) expect((await status(id)).status).toBe('completed');
    expect(seen).toEqual(ids);
    expect(h.logger.events('fail')).toEqual([]);
    expect(r.counters).toMatchObject({ completed: 2, failed: 0 });
  });

  it('calls onRanDry once when it runs dry after finishing work (claimable() read), never on the idle polls after, and again after the next run', async () => {
    const ids = await h.enqueue([{ sku: 'A' }, { sku: 'B' }]);
    const handler = new ManualHandler();
    let ranDry = 0;
    let onRanDry: () => void = () => {};
    const nextRanDry = () => new Promise<void>((resolve) => (onRanDry = resolve));
    const r = makeRunner(handler, { concurrency: 1, onRanDry: () => { ranDry++; onRanDry(); } });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(ids[0]).resolve(1);
    await handler.waitForStarts(2); // the queue had more: not dry
    expect(ranDry).toBe(0);
    let wait = nextRanDry();
    handler.run_(ids[1]).resolve(1);
    await wait;
    expect(ranDry).toBe(1);
    await h.clock.advance(10_000); // ten backstop polls of an empty queue
    expect(ranDry).toBe(1);
    const [third] = await h.enqueue([{ sku: 'C' }]);
    r.wake();
    await handler.waitForStarts(3);
    wait = nextRanDry();
    handler.run_(third).resolve(1);
    await wait;
    expect(ranDry).toBe(2);
  });

  it('with SKIP LOCKED, calls onRanDry from the claim that came back empty after the last job, without waiting for a poll', async () => {
    const claimable = vi.fn(() => h.store.claimable());
    const store = { ...h.store, capabilities: { ...h.store.capabilities, skipLocked: true }, claimable };
    const [id] = await h.enqueue([{ sku: 'A' }]);
    const handler = new ManualHandler();
    let ranDry = 0;
    let onRanDry: () => void = () => {};
    const ran = new Promise<void>((resolve) => (onRanDry = resolve));
    const r = makeRunner(handler, { store, concurrency: 2, watch: false, onRanDry: () => { ranDry++; onRanDry(); } });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(id).resolve(1);
    await ran; // the clock never moved: no backstop poll ran
    expect(ranDry).toBe(1);
    expect(claimable).not.toHaveBeenCalled();
  });

  it('does not call onRanDry once a stop has begun, even when the claimable() read in flight then finds the queue empty', async () => {
    const [id] = await h.enqueue([{ sku: 'A' }]);
    let answer: (pending: boolean) => void = () => {};
    let asked: () => void = () => {};
    const askedOnce = new Promise<void>((resolve) => (asked = resolve));
    const store = { ...h.store, claimable: () => new Promise<boolean>((resolve) => { answer = resolve; asked(); }) };
    const handler = new ManualHandler();
    let ranDry = 0;
    const r = makeRunner(handler, { store, concurrency: 1, onRanDry: () => void ranDry++ });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(id).resolve(1);
    await askedOnce; // the wake after the job: a read, the queue having looked empty
    const stopping = r.drain(1_000);
    answer(false);
    await stopping;
    await h.clock.advance(0);
    expect(r.status).toBe('stopped');
    expect(ranDry).toBe(0);
  });

  it('logs a throwing onRanDry hook and goes on claiming', async () => {
    const [first] = await h.enqueue([{ sku: 'A' }]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 1, onRanDry: () => { throw new Error('hook broke'); } });
    await r.start();
    await handler.waitForStarts(1);
    handler.run_(first).resolve(1);
    await h.logger.waitFor('ran-dry-hook');
    expect(h.logger.events('ran-dry-hook')[0].obj.err).toContain('hook broke');
    const [second] = await h.enqueue([{ sku: 'B' }]);
    r.wake();
    await handler.waitForStarts(2);
    handler.run_(second).resolve(1);
    await h.logger.waitFor('complete', {}, 2);
    expect((await status(second)).status).toBe('completed');
  });

  it('counts the jobs of a dataset it is still running, so a settled hook can skip asking the database', async () => {
    const ids = await h.enqueue([{ datasetId: 'd1' }, { datasetId: 'd1' }, { datasetId: 'd2' }]);
    const handler = new ManualHandler();
    const counts: Array<[number, number]> = [];
    let settled: () => void = () => {};
    const nextSettle = () => new Promise<void>((resolve) => (settled = resolve));
    const r = makeRunner(handler, {
      concurrency: 3,
      onSettled: (job) => {
        counts.push([job.id, r.runningJobsOf(job.datasetId!)]);
        expect(r.hasRunningJobsOf(job.datasetId!)).toBe(r.runningJobsOf(job.datasetId!) > 0);
        settled();
      },
    });
    await r.start();
    await handler.waitForStarts(3);
    expect(r.runningJobsOf('d1')).toBe(2);
    expect(r.runningJobsOf('d2')).toBe(1);
    let wait = nextSettle();
    handler.run_(ids[0]).resolve(1);
    await wait;
    wait = nextSettle();
    handler.run_(ids[1]).resolve(1);
    await wait;
    expect(counts).toEqual([[ids[0], 1], [ids[1], 0]]);
    expect(r.runningJobsOf('d1')).toBe(0);
    expect(r.hasRunningJobsOf('d1')).toBe(false);
    expect(r.runningJobsOf('d2')).toBe(1);
    expect(r.hasRunningJobsOf('d2')).toBe(true);
    expect(r.hasRunningJobsOf('nobody')).toBe(false);
  });

  it('drains on shutdown: lets running jobs finish until the deadline, then releases the rest', async () => {
    const [fast, slow, waiting] = await h.enqueue([{}, {}, {}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler, { concurrency: 2 });
    await r.start();
    await handler.waitForStarts(2);
    const drained = r.drain(5_000);
    handler.run_(fast).resolve('finished in time');
    await h.clock.advance(5_000);
    expect(await drained).toEqual({ finished: 1, released: 1 });
    expect((await status(fast)).status).toBe('completed');
    const released = await status(slow);
    expect(released.status).toBe('pending');
    expect(released.attempts).toBe(0);
    expect(handler.run_(slow).ctx.signal.aborted).toBe(true);
    expect((await status(waiting)).status).toBe('pending');
    expect(handler.started.length).toBe(2);
    expect((await h.store.summary()).running).toBe(0);
    expect(r.status).toBe('stopped');
    expect(h.logger.events('release').map((e) => e.obj.jobId)).toEqual([slow]);
  });

  it('drains a queuing handler: a held job whose run has not started is released at once, a started one gets the deadline', async () => {
    const [started, prefetched] = await h.enqueue([{ sku: 'STARTED' }, { sku: 'PREFETCHED' }]);
    const handler = Object.assign(new ManualHandler(), { queuesRuns: true });
    const r = makeRunner(handler, { concurrency: 2 });
    await r.start();
    await handler.waitForStarts(2);
    handler.run_(started).ctx.runStarted!(); // got its thread; the other still waits for one
    const drained = r.drain(5_000);
    await h.logger.waitFor('release');
    // Released before any time passed: no waiting out the deadline for a job that did no work.
    expect((await status(prefetched)).status).toBe('pending');
    expect((await status(prefetched)).attempts).toBe(0);
    expect(handler.run_(prefetched).ctx.signal.aborted).toBe(true);
    expect((await status(started)).status).toBe('running');
    expect(handler.run_(started).ctx.signal.aborted).toBe(false);
    handler.run_(started).resolve('finished in time');
    expect(await drained).toEqual({ finished: 1, released: 1 });
    expect((await status(started)).status).toBe('completed');
    expect(h.logger.events('release').map((e) => e.obj.jobId)).toEqual([prefetched]);
  });

  it('waitingForThread: a cancelled held job whose handler has not returned yet is no longer counted', async () => {
    const [fitting, cancelled, queued] = await h.enqueue([{ sku: 'FITTING' }, { sku: 'CANCELLED' }, { sku: 'QUEUED' }]);
    // A queuing handler whose runs do not look at their signal (a task already posted to a thread):
    // a cancelled job stays held, let go, until its run returns.
    const ctxs = new Map<number, JobContext>();
    const r = makeRunner({ queuesRuns: true, run: (job, ctx) => { ctxs.set(job.id, ctx); return new Promise(() => undefined); } }, { concurrency: 3, watch: false });
    await r.start();
    await vi.waitFor(() => expect(ctxs.size).toBe(3));
    ctxs.get(fitting)!.runStarted!();
    expect(r.waitingForThread).toBe(2);
    await h.store.cancel({ ids: [cancelled] });
    await h.clock.advance(250);
    await h.logger.waitFor('cancel', { jobId: cancelled });
    expect(r.running).toBe(3); // still held: its run has not returned
    expect(r.waitingForThread).toBe(1); // QUEUED only
    expect(ctxs.get(queued)!.signal.aborted).toBe(false);
  });

  it('waitingForThread: a job whose handler failed before starting (bad input) is not counted while its fail is written', async () => {
    const [bad, queued] = await h.enqueue([{ sku: 'BAD' }, { sku: 'QUEUED' }]);
    class InputDataError extends Error { override name = 'InputDataError'; }
    let writing!: () => void;
    const failSent = new Promise<void>((resolve) => (writing = resolve));
    let letWrite!: () => void;
    const gate = new Promise<void>((resolve) => (letWrite = resolve));
    const store = { ...h.store, fail: async (...a: Parameters<typeof h.store.fail>) => { writing(); await gate; return h.store.fail(...a); } };
    const r = makeRunner({
      queuesRuns: true,
      run: (job) => (job.id === bad ? Promise.reject(new InputDataError('3 points; needs 24')) : new Promise(() => undefined)),
    }, { store, concurrency: 2, isPermanent: (e) => (e as Error).name === 'InputDataError' });
    await r.start();
    await failSent; // BAD's fail is in flight: still held, its run over before it ever started
    expect(r.running).toBe(2);
    expect(r.waitingForThread).toBe(1); // QUEUED only
    letWrite();
    await h.logger.waitFor('fail', { jobId: bad });
    expect((await status(bad)).status).toBe('failed');
    expect((await status(queued)).status).toBe('running');
  });

  it('leaves no run timeout armed once stopped, for a released handler that ignores its abort and never returns', async () => {
    const [id] = await h.enqueue([{}]);
    let started!: () => void;
    const running = new Promise<void>((resolve) => { started = resolve; });
    let signal: AbortSignal | null = null;
    // An inline fit that never looks at its signal, and never returns.
    const r = makeRunner({ run: (_job, ctx) => { signal = ctx.signal; started(); return new Promise(() => undefined); } }, { runTimeoutMs: () => 60_000 });
    await r.start();
    await running;
    await h.clock.advance(0); // the run timeout read answers: 60 s armed
    expect(h.clock.pendingTimers).toBeGreaterThan(0);
    const drained = r.drain(1_000);
    await h.clock.advance(1_000); // the deadline: released and aborted, and it does not return
    await h.clock.advance(5_000); // the moment given to released handlers
    expect(await drained).toEqual({ finished: 0, released: 1 });
    expect(signal!.aborted).toBe(true);
    expect((await status(id)).status).toBe('pending');
    expect(r.status).toBe('stopped');
    expect(h.clock.pendingTimers).toBe(0); // was 1: the 60 s run timeout, keeping a stopped process alive
  });

  it('a drain waits for the claim in flight and counts the jobs it hands back as released, none as finished', async () => {
    const ids = await h.enqueue([{}, {}]);
    let claimSent!: () => void;
    const sent = new Promise<void>((resolve) => (claimSent = resolve));
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const store = {
      ...h.store,
      claim: async (...a: Parameters<typeof h.store.claim>) => {
        claimSent();
        await gate; // the claim is in flight when the stop comes
        // ... and commits before the stop's abort can take it back: its jobs come back all the same.
        return h.store.claim({ ...a[0], signal: undefined });
      },
    };
    const handler = new ManualHandler();
    const r = makeRunner(handler, { store, watch: false });
    await r.start();
    await sent;
    const drained = r.drain(1_000);
    answer();
    // Was { finished: 0, released: 0 }: the drain ended before the claim came back, and its jobs
    // were handed back after the worker's "stopped" line, uncounted.
    expect(await drained).toEqual({ finished: 0, released: 2 });
    expect(handler.started).toEqual([]);
    for (const id of ids) expect((await status(id)).status).toBe('pending');
    expect(h.logger.events('release')).toHaveLength(2);
  });

  it('counts as released the jobs a store hands back itself from a claim that committed as the worker stopped (PostgreSQL)', async () => {
    const ids = await h.enqueue([{}, {}]);
    let claimSent!: () => void;
    const sent = new Promise<void>((resolve) => (claimSent = resolve));
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const store = {
      ...h.store,
      claim: async (request: Parameters<typeof h.store.claim>[0]) => {
        claimSent();
        await gate; // the claim is in flight when the stop comes, and commits before its cancel lands
        const claimed = await h.store.claim({ ...request, signal: undefined });
        // As the PostgreSQL store does (job-release-claimed.sql): it releases them itself, names
        // them, and answers as cancelled.
        for (const c of claimed) expect(await h.store.release(c)).toBe(true);
        request.onReleased?.(claimed.map((c) => c.jobId));
        return [];
      },
    };
    const r = makeRunner(new ManualHandler(), { store, watch: false });
    await r.start();
    await sent;
    const drained = r.drain(1_000);
    answer();
    // Was { finished: 0, released: 0 }: the worker's "stopped (0 finished, 0 released)" line and
    // its `released` counter (skucast_worker_events_total) missed them.
    expect(await drained).toEqual({ finished: 0, released: 2 });
    expect(r.counters.released).toBe(2);
    expect(h.logger.events('release').map((e) => e.obj.jobId)).toEqual(ids);
    for (const id of ids) expect((await status(id)).status).toBe('pending');
  });

  it('a claim in flight that never answers (a dead connection) does not put off the drain\'s deadline', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    let claims = 0;
    let stuck!: () => void;
    const sent = new Promise<void>((resolve) => (stuck = resolve));
    const store = {
      ...h.store,
      claim: async (...a: Parameters<typeof h.store.claim>) => {
        if (++claims === 1) return h.store.claim(...a);
        stuck();
        return new Promise<never>(() => undefined); // the second claim hangs for ever
      },
    };
    const r = makeRunner(handler, { store, watch: false, concurrency: 2 });
    await r.start();
    await handler.waitForStarts(1);
    await h.enqueue([{}]);
    r.wake();
    await sent;
    const drained = r.drain(1_000);
    await h.clock.advance(1_000); // the deadline, counted from the stop: the running job is released
    await h.clock.advance(5_000);
    expect(await drained).toEqual({ finished: 0, released: 1 });
    expect((await status(id)).status).toBe('pending');
  });

  it('a stop ends a claim waiting for another process\'s write lock (SQLite): the drain does not wait on it, and it claims nothing', async () => {
    await h.close();
    h = await openHarness({ busyTimeoutMs: 60_000 });
    const [id] = await h.enqueue([{}]);
    const other = new Database(h.path);
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    let claimSent!: () => void;
    const sent = new Promise<void>((resolve) => (claimSent = resolve));
    const store = {
      ...h.store,
      claim: (...a: Parameters<typeof h.store.claim>) => {
        const claiming = h.store.claim(...a); // its first try met the lock: it waits in the event loop
        claimSent();
        return claiming;
      },
    };
    const r = makeRunner(new ManualHandler(), { store, watch: false });
    await r.start();
    await sent;
    // The clock never moves: only the claim giving up lets the drain end. Before, it waited for
    // the lock until the busy timeout (60 s here; 10 s by default).
    expect(await r.drain(30_000)).toEqual({ finished: 0, released: 0 });
    other.exec('COMMIT');
    other.close();
    expect(await status(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(h.logger.events('claim-failed')).toEqual([]);
  }, 15_000);

  it('a stop that comes while start() is still subscribing leaves no subscription and no backstop poll behind', async () => {
    let subscribed!: () => void;
    const gate = new Promise<void>((resolve) => (subscribed = resolve));
    let unwatched = 0;
    const store = { ...h.store, watch: async () => { await gate; return async () => void unwatched++; } };
    const r = makeRunner({ run: async () => 'done' }, { store, watch: true });
    const starting = r.start();
    const drained = r.drain(1_000); // the subscription is not made yet: nothing to end here
    subscribed();
    await starting;
    expect(await drained).toEqual({ finished: 0, released: 0 });
    await h.clock.advance(0);
    expect(r.status).toBe('stopped');
    expect(unwatched).toBe(1); // was 0: the subscription made after the stop was kept for ever
    expect(h.clock.pendingTimers).toBe(0); // was 1: the backstop poll armed after the stop
  });

  it('stops at once releasing what it holds: the job is pending again, its attempt given back', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler);
    await r.start();
    await handler.waitForStarts(1);
    expect(await r.stopNow()).toEqual({ held: 1, released: 1 });
    expect(handler.run_(id).ctx.signal.aborted).toBe(true);
    expect(await status(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(r.counters.released).toBe(1);
    expect(r.status).toBe('stopped');
  });

  it('abandons at once without writing: the job stays running until its lease expires', async () => {
    const [id] = await h.enqueue([{}]);
    const handler = new ManualHandler();
    const r = makeRunner(handler);
    await r.start();
    await handler.waitForStarts(1);
    r.abandon();
    expect(handler.run_(id).ctx.signal.aborted).toBe(true);
    await h.clock.advance(0);
    expect((await status(id)).status).toBe('running');
    expect(h.clock.pendingTimers).toBe(0);
  });
});
