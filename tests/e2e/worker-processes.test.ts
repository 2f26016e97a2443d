/**
 * The queue across real processes: `node server.js worker` instances (noop handler) against one
 * database (a temp SQLite file, or PostgreSQL when DATABASE_URL says so), killed and signalled
 * the way production does it. Waits poll the database or the workers' log lines, bounded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJob } from '../../src/queue/job.js';
import { allJobs } from '../../src/queue/testing/store-fixtures.js';
import type { Store } from '../../src/stores/store.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/test-database.js';
import { pollUntil, startSkucast, stopAll, type SkucastProcess } from '../support/skucast-process.js';

let db: TestDatabase;
let store: Store;
let batches = 0;

function worker(name: string, args: string[]): SkucastProcess {
  return startSkucast(name, ['worker', '--handler', 'noop', '--worker-id', name, ...args], db.env);
}

async function enqueue(jobs: Array<Partial<NewJob>>, supersede = false): Promise<number[]> {
  const result = await store.enqueue(
    jobs.map((j, i) => ({ datasetId: 'e2e', sku: `SKU-${batches}-${i}`, modelId: 'naive', method: 'grid', reason: 'manual_trigger', priority: 3, ...j })),
    { batchId: `e2e-${++batches}`, supersede, reuse: false },
  );
  const ids: number[] = [];
  for (let id = result.firstId!; id <= result.lastId!; id++) ids.push(id);
  return ids;
}

const statusOf = async (id: number) => (await store.getJob(id))!.status;
const completed = async (n: number) => ((await store.summary()).completed >= n ? true : undefined);

describe.each(storeKinds('worker processes'))('worker processes on %s', (kind) => {
  beforeEach(async () => {
    db = await createTestDatabase('workers', kind);
    store = await db.open();
  });

  afterEach(async () => {
    const leaked = await stopAll();
    await store.close();
    await db.cleanup();
    expect(leaked, 'processes left running by the test').toEqual([]);
  });

  it('4 workers drain 8,000 jobs: every job runs exactly once, on its first attempt', async () => {
    const ids = await enqueue(Array.from({ length: 8_000 }, () => ({})));
    const workers = [1, 2, 3, 4].map((n) => worker(`w${n}`, ['--concurrency', '8']));
    await pollUntil('8,000 completed jobs', () => completed(8_000), 90_000, 100);
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect((await w.exited).code).toBe(0);

    const jobs = await allJobs(store, { includeResult: true }, 1000);
    expect(jobs).toHaveLength(8_000);
    const byWorker = new Map<string, number>();
    for (const job of jobs) {
      expect(job.status).toBe('completed');
      expect(job.attempts).toBe(1);
      const result = job.result as { jobId: number; workerId: string };
      expect(result.jobId).toBe(job.id);
      expect(result.workerId).toBe(job.workerId);
      byWorker.set(result.workerId, (byWorker.get(result.workerId) ?? 0) + 1);
    }
    // The workers' own logs: each job was picked up once, across all four processes. A claim that
    // failed (a lock wait past busy_timeout on a loaded machine) logs `claim-failed` and is retried
    // by the backstop poll: it picked up nothing, so it is not a pickup.
    const failedClaims = workers.flatMap((w) => w.events('claim-failed'));
    if (failedClaims.length > 0) console.info(`[e2e] claims that failed and were retried: ${failedClaims.length}`);
    const claims = workers.flatMap((w) => w.events('claim').map((l) => l.jobId as number));
    expect(claims).toHaveLength(8_000);
    expect(new Set(claims)).toEqual(new Set(ids));
    expect(workers.flatMap((w) => w.events('fenced'))).toEqual([]);
    console.info(`[e2e] jobs per worker: ${JSON.stringify(Object.fromEntries(byWorker))}`);
    expect(byWorker.size).toBeGreaterThan(1);
  });

  it('a job whose worker is SIGKILLed is rescued and completed by another worker on attempt 2', async () => {
    const [id] = await enqueue([{}]);
    const doomed = worker('doomed', ['--concurrency', '1', '--noop-ms', '60000', '--lease-ms', '1500']);
    await doomed.waitForLine((l) => l.event === 'claim' && l.jobId === id);
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    expect(await statusOf(id)).toBe('running'); // nothing was written on the way down

    const killedAt = Date.now();
    const rescuer = worker('rescuer', ['--concurrency', '1', '--noop-ms', '100', '--lease-ms', '1500']);
    await pollUntil('the rescued job to complete', async () => ((await statusOf(id)) === 'completed' ? true : undefined), 20_000);
    console.info(`[e2e] killed worker's job completed elsewhere ${Date.now() - killedAt} ms after the kill (lease 1500 ms)`);
    const job = (await store.getJob(id))!;
    expect(job.attempts).toBe(2);
    expect(job.workerId).toBe('rescuer');
    expect(job.result).toMatchObject({ jobId: id, workerId: 'rescuer', attempt: 2 });
    expect(rescuer.events('rescue').some((l) => l.jobId === id)).toBe(true);
    expect(rescuer.events('claim').filter((l) => l.jobId === id)).toHaveLength(1);
    rescuer.child.kill('SIGTERM');
    expect((await rescuer.exited).code).toBe(0);
  });

  it('SIGTERM lets running jobs finish, claims nothing more, and exits 0 with nothing running', async () => {
    const ids = await enqueue([{}, {}, {}, {}]);
    const w = worker('draining', ['--concurrency', '2', '--noop-ms', '400', '--shutdown-ms', '10000']);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === ids[1]);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['completed', 'completed', 'pending', 'pending']);
    expect((await store.summary()).running).toBe(0);
    expect(w.events('claim').map((l) => l.jobId)).toEqual(ids.slice(0, 2));
    const [info] = await store.listWorkers();
    expect(info).toMatchObject({ workerId: 'draining', status: 'stopped', running: 0 });
  });

  it('SIGTERM past the deadline releases the running job back to pending with its attempt given back', async () => {
    const [id] = await enqueue([{}]);
    const w = worker('deadline', ['--concurrency', '1', '--noop-ms', '60000', '--shutdown-ms', '300']);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === id);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(await store.getJob(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(w.events('release').map((l) => l.jobId)).toEqual([id]);
    expect((await store.summary()).running).toBe(0);
  });

  it('a second signal stops at once, handing its running job back rather than leaving it to its lease', async () => {
    const [id] = await enqueue([{}]);
    const w = worker('impatient', ['--concurrency', '1', '--noop-ms', '60000', '--shutdown-ms', '60000']);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === id);
    w.child.kill('SIGTERM');
    await w.waitForLine((l) => l.event === 'stop');
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(143);
    // Released before the exit, the attempt given back (was: left running to its lease, then rescued).
    expect(await store.getJob(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('cancelling a running job through the API stops it promptly and the worker goes on with the next job', async () => {
    const [slow, next] = await enqueue([{}, {}]);
    const api = startSkucast('api', ['api', '--port', '0'], db.env);
    const { url } = await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''));
    const w = worker('canceller', ['--concurrency', '1', '--noop-ms', '60000', '--shutdown-ms', '200']);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === slow);
    const cancelledAt = Date.now();
    const response = await fetch(new URL(`api/jobs/${slow}/cancel`, url as string), { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ cancelled: 1 });
    await w.waitForLine((l) => l.event === 'cancel' && l.jobId === slow, 10_000);
    console.info(`[e2e] cancel to stopped run: ${Date.now() - cancelledAt} ms`);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === next);
    expect(await statusOf(slow)).toBe('cancelled');
    expect(await store.getJob(slow)).toMatchObject({ result: null });
    expect(w.events('fenced')).toEqual([]);
    w.child.kill('SIGTERM');
    api.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect((await api.exited).code).toBe(0);
  });

  it('a newer job for the same work supersedes the running one: the old run stops, the new one completes', async () => {
    const work = { datasetId: 'e2e', sku: 'SKU-A', modelId: 'naive', method: 'grid' };
    const [old] = await enqueue([work], true);
    const w = worker('superseded', ['--concurrency', '1', '--noop-ms', '1500']);
    await w.waitForLine((l) => l.event === 'claim' && l.jobId === old);
    const [fresh] = await enqueue([work], true);
    await pollUntil('the fresh job to complete', async () => ((await statusOf(fresh)) === 'completed' ? true : undefined), 20_000);
    expect(await statusOf(old)).toBe('cancelled');
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(w.events('cancel').map((l) => l.jobId)).toEqual([old]);
    expect(w.events('complete').map((l) => l.jobId)).toEqual([fresh]);
  });

  it('runs high-priority jobs first, FIFO within a priority', async () => {
    const low = await enqueue([{ priority: 3 }, { priority: 3 }, { priority: 3 }]);
    const high = await enqueue([{ priority: 1 }, { priority: 1 }]);
    const w = worker('ordered', ['--concurrency', '1']);
    await pollUntil('5 completed jobs', () => completed(5), 20_000);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0); // and its log is complete
    expect(w.events('claim').map((l) => l.jobId)).toEqual([...high, ...low]);
    const starts = await Promise.all([...high, ...low].map(async (id) => ((await store.getJob(id))!.result as { startedAt: number }).startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});
