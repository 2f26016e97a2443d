import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualHandler, openHarness, RecordingLogger, type Harness } from '../queue/testing/runner-harness.js';
import { startWorker, type WorkerHandle } from './run-worker.js';
import { systemClock } from '../queue/clock.js';

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
