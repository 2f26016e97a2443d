import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualHandler, openHarness, RecordingLogger, type Harness } from '../queue/testing/runner-harness.js';
import { startWorker, type WorkerHandle } from './run-worker.js';
import { systemClock } from '../queue/clock.js';
import type { WorkerInfo } from '../queue/job.js';
import type { Store } from '../stores/store.js';

// These run on the real clock: startWorker wires the real timers, watch and heartbeat together.
let h: Harness;
let worker: WorkerHandle | null = null;

beforeEach(async () => {
  h = await openHarness();
});

afterEach(async () => {
  await worker?.stop({ graceful: false });
  worker = null;
  await h.close();
});

describe('startWorker', () => {
  it('drains the queue with the noop handler and records its counters in the worker registry', async () => {
    const ids = await h.enqueue(Array.from({ length: 200 }, (_, i) => ({ sku: `S${i}` })));
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'noop', concurrency: 4, workerId: 'w-test', clock: systemClock });
    await logger.waitFor('complete', {}, 200);
    const job = await h.store.getJob(ids[199]);
    expect(job).toMatchObject({ status: 'completed', attempts: 1, workerId: 'w-test' });
    expect(job!.result).toMatchObject({ noop: true, jobId: ids[199], workerId: 'w-test' });
    await worker.stop({ graceful: true });
    await worker.stopped;
    const [info] = await h.store.listWorkers();
    expect(info).toMatchObject({ workerId: 'w-test', status: 'stopped', concurrency: 4, running: 0 });
    expect(worker.runner.counters).toMatchObject({ claimed: 200, completed: 200, failed: 0 });
    expect((await h.store.summary()).completed).toBe(200);
  });

  it('calls onRanDry once the queue it drained is empty, once for the run', async () => {
    await h.enqueue(Array.from({ length: 20 }, (_, i) => ({ sku: `S${i}` })));
    const logger = new RecordingLogger();
    let ranDry = 0;
    let ran: () => void = () => {};
    const once = new Promise<void>((resolve) => (ran = resolve));
    worker = await startWorker({ store: h.store, logger, handler: 'noop', concurrency: 4, clock: systemClock, onRanDry: () => { ranDry++; ran(); } });
    await once;
    expect((await h.store.summary()).completed).toBe(20);
    await worker.stop({ graceful: true });
    expect(ranDry).toBe(1);
  });

  it('sends its event counters with the heartbeat, for /metrics', async () => {
    await h.enqueue([{}, {}, {}]);
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'noop', concurrency: 1, workerId: 'w-count', clock: systemClock });
    await logger.waitFor('complete', {}, 3);
    await worker.stop({ graceful: true });
    const [info] = await h.store.listWorkers();
    expect(info.counters).toMatchObject({ claimed: 3, completed: 3, fenced: 0 });
  });

  it('on a graceful stop past its deadline, releases the running job back to pending', async () => {
    const [id] = await h.enqueue([{}]);
    const logger = new RecordingLogger();
    worker = await startWorker({
      store: h.store, logger, handler: 'noop', noopMs: 60_000, concurrency: 1, shutdownMs: 50, clock: systemClock,
    });
    await logger.waitFor('claim', { jobId: id });
    await worker.stop({ graceful: true });
    const job = await h.store.getJob(id);
    expect(job).toMatchObject({ status: 'pending', attempts: 0 });
    expect(logger.events('release').map((e) => e.obj.jobId)).toEqual([id]);
    expect((await h.store.listWorkers())[0].status).toBe('stopped');
  });

  it('sends with its heartbeat how many held jobs wait for a thread, as the runner counts them', async () => {
    // The store as the worker sees it, telling the test when each heartbeat has been written.
    let beaten = () => {};
    const store = new Proxy(h.store, {
      get(target, key) {
        if (key === 'heartbeatWorker') return async (info: WorkerInfo) => { const written = await target.heartbeatWorker(info); beaten(); return written; };
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const beat = async () => {
      const written = new Promise<void>((resolve) => (beaten = resolve));
      await h.clock.advance(5_000); // the heartbeat period: no other timer of the worker writes the registry
      await written;
      return (await h.store.listWorkers()).find((w) => w.workerId === 'w-wait')!;
    };
    const ids = await h.enqueue(Array.from({ length: 6 }, (_, i) => ({ sku: `W${i}` })));
    const queuing = Object.assign(new ManualHandler(), { queuesRuns: true });
    const logger = new RecordingLogger();
    worker = await startWorker({
      store, logger, handler: queuing, concurrency: 2, prefetch: 2, workerId: 'w-wait',
      clock: h.clock, leaseMs: 600_000,
    });
    await queuing.waitForStarts(4); // 2 threads + 2 prefetched: 4 held, all running in the store
    // One fit has a thread; the other three are still reading input or queued behind busy threads.
    queuing.run_(ids[0]).ctx.runStarted!();
    // The estimate (running - concurrency) said 2 here.
    expect(await beat()).toMatchObject({ running: 4, concurrency: 2, waitingForThread: 3 });
    queuing.run_(ids[1]).ctx.runStarted!();
    expect(await beat()).toMatchObject({ running: 4, waitingForThread: 2 });
    // A fit ends: its thread starts the next held job and the runner claims one more to hold.
    queuing.run_(ids[0]).resolve({ ok: true });
    await logger.waitFor('complete', { jobId: ids[0] });
    await queuing.waitForStarts(5);
    queuing.run_(ids[2]).ctx.runStarted!();
    expect(await beat()).toMatchObject({ running: 4, waitingForThread: 2 });
    // Both fits end and both threads start the next; the last job is claimed, the queue is empty.
    queuing.run_(ids[1]).resolve({ ok: true });
    queuing.run_(ids[2]).resolve({ ok: true });
    await logger.waitFor('complete', {}, 3);
    await queuing.waitForStarts(6);
    queuing.run_(ids[3]).ctx.runStarted!();
    queuing.run_(ids[4]).ctx.runStarted!();
    expect(await beat()).toMatchObject({ running: 3, waitingForThread: 1 });
    expect((await h.store.summary()).completed).toBe(3);
  });

  it('at a graceful stop, beats again once the held jobs that had not started are released, without waiting for the next period', async () => {
    const ids = await h.enqueue(Array.from({ length: 4 }, (_, i) => ({ sku: `G${i}` })));
    const queuing = Object.assign(new ManualHandler(), { queuesRuns: true });
    const logger = new RecordingLogger();
    worker = await startWorker({
      store: h.store, logger, handler: queuing, concurrency: 2, prefetch: 2, workerId: 'w-stop',
      clock: h.clock, leaseMs: 600_000, shutdownMs: 600_000,
    });
    await queuing.waitForStarts(4);
    queuing.run_(ids[0]).ctx.runStarted!();
    queuing.run_(ids[1]).ctx.runStarted!();
    // Told when the runner has released the unstarted jobs (after the worker's own hook, if any).
    const drain = worker.runner.drain.bind(worker.runner);
    let released!: () => void;
    const unstartedReleased = new Promise<void>((resolve) => (released = resolve));
    worker.runner.drain = (ms, hooks) => drain(ms, { ...hooks, unstartedReleased: () => { hooks?.unstartedReleased?.(); released(); } });
    const stopping = worker.stop({ graceful: true });
    await unstartedReleased;
    expect(logger.events('release')).toHaveLength(2);
    // Every beat sent by now written: no time passes on the manual clock, so the periodic beat
    // (5 s) never comes. Without the beat after the release, the stop's only beat (sent before the
    // release) says running 4, waitingForThread 2 until then. (running 2: ManualHandler's runs
    // return at the abort, before that beat; DrainHooks says `running` may lag a slower handler.)
    await worker.heartbeatsWritten();
    expect((await h.store.listWorkers())[0]).toMatchObject({ status: 'stopping', running: 2, waitingForThread: 0 });
    expect(await h.store.summary()).toMatchObject({ pending: 2, running: 2 });
    queuing.run_(ids[0]).resolve({ ok: true });
    queuing.run_(ids[1]).resolve({ ok: true });
    await stopping;
    expect((await h.store.listWorkers())[0]).toMatchObject({ status: 'stopped', running: 0, waitingForThread: 0 });
  });

  it('sends one heartbeat at a time: the stop\'s beats wait for a periodic one still being written, so it cannot land after "stopped"', async () => {
    let inFlight = 0;
    let overlapped = 0;
    let hold: Promise<void> | null = null;
    let entered = () => {};
    const store = new Proxy(h.store, {
      get(target, key) {
        if (key === 'heartbeatWorker') {
          return async (info: WorkerInfo) => {
            if (++inFlight > 1) overlapped++;
            try {
              const gate = hold;
              hold = null;
              entered();
              if (gate) await gate; // this beat is slow to be written (a busy database)
              return await target.heartbeatWorker(info);
            } finally {
              inFlight--;
            }
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const logger = new RecordingLogger();
    worker = await startWorker({ store, logger, handler: 'noop', concurrency: 1, workerId: 'w-order', clock: h.clock });
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const periodic = new Promise<void>((resolve) => (entered = resolve));
    await h.clock.advance(5_000);
    await periodic; // the periodic beat (status running) is in flight, held
    const stopping = worker.stop({ graceful: true });
    release();
    await stopping;
    // Same millisecond on this clock: the store alone cannot tell which beat is later.
    expect(overlapped).toBe(0);
    expect((await h.store.listWorkers())[0]).toMatchObject({ status: 'stopped' });
  });

  it('dates each beat after the one before, so a clock stepped back (an NTP step) keeps neither its beats nor its "stopped" out of the registry', async () => {
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'noop', concurrency: 1, workerId: 'w-step', clock: h.clock });
    await h.clock.advance(5_000); // a periodic beat, dated by the clock
    const before = (await h.store.listWorkers())[0].lastHeartbeatAt;
    await h.clock.advance(-100_000); // the clock steps back by more than the stale limit
    await worker.stop({ graceful: true });
    const [info] = await h.store.listWorkers();
    expect(info).toMatchObject({ status: 'stopped' });
    expect(info.lastHeartbeatAt).toBeGreaterThan(before);
    expect(logger.events('heartbeat')).toEqual([]);
  });

  it('logs a beat kept out of the registry (a live later start under the same id holds the row)', async () => {
    const now = h.clock.now();
    await h.store.heartbeatWorker({ workerId: 'w-dup', host: 'other', pid: 1, concurrency: 1, startedAt: now + 10_000, lastHeartbeatAt: now + 10_000, running: 0, status: 'running' });
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'noop', concurrency: 1, workerId: 'w-dup', clock: h.clock });
    expect(logger.events('heartbeat')).toMatchObject([{ level: 'warn', obj: { workerId: 'w-dup', status: 'running', startedAt: now } }]);
    expect((await h.store.listWorkers())[0]).toMatchObject({ host: 'other', startedAt: now + 10_000 });
  });

  it('holds prefetched jobs beyond --concurrency only for a handler that queues its runs', async () => {
    await h.enqueue(Array.from({ length: 10 }, (_, i) => ({ sku: `P${i}` })));
    const logger = new RecordingLogger();
    const queuing = Object.assign(new ManualHandler(), { queuesRuns: true });
    worker = await startWorker({ store: h.store, logger, handler: queuing, concurrency: 2, prefetch: 1, workerId: 'w-pre', clock: systemClock });
    await queuing.waitForStarts(3);
    expect(worker.runner.concurrency).toBe(3); // 2 fits at once + 1 prepared
    const [info] = await h.store.listWorkers();
    expect(info.concurrency).toBe(2); // the registry shows fits at once, as --concurrency says
    await worker.stop({ graceful: false });

    // By default one job per thread is held ready: each thread's next fit.
    worker = await startWorker({ store: h.store, logger, handler: queuing, concurrency: 2, workerId: 'w-pre-default', clock: systemClock });
    await queuing.waitForStarts(3 + 4);
    expect(worker.runner.concurrency).toBe(4);
    await worker.stop({ graceful: false });

    const plain = new ManualHandler(); // runs at once: a slot is a running job, no prefetch
    worker = await startWorker({ store: h.store, logger, handler: plain, concurrency: 2, prefetch: 4, workerId: 'w-plain', clock: systemClock, leaseMs: 60_000 });
    await plain.waitForStarts(2);
    expect(worker.runner.concurrency).toBe(2);
  });
});
