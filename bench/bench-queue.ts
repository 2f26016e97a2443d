/**
 * `npm run bench:queue [-- --json] [-- --store postgres]`: the queue's throughput and latency,
 * measured on real processes against a fresh database per phase, with BullMQ on Redis as the
 * yardstick in the same run. Prints a table; with --json, one JSON object on the last line.
 *
 * Phases: enqueue through the store (50,000 jobs, one bulk call); enqueue through HTTP
 * (POST /api/jobs, SKU-list form, on a spawned `node server.js api`); drain of 20,000 no-op jobs
 * by 1 and 2 `node server.js worker --handler noop` processes; pickup latency (enqueue to handler
 * start, 200 jobs one at a time, idle worker); BullMQ drain of 20,000 no-op jobs by 2 processes.
 * A phase that cannot run reports null and says why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { NewJob } from '../src/queue/job.js';
import type { Store } from '../src/stores/store.js';
import { createTestDatabase, type TestDatabase } from '../tests/support/test-database.js';
import { createDailyDataset } from '../tests/support/test-datasets.js';
import { startSkucast, stopAll, type SkucastProcess } from '../tests/support/skucast-process.js';
import { loadIORedis, redisOptions } from './ioredis-client.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
    concurrency: { type: 'string', default: '256' },
    'drain-jobs': { type: 'string', default: '20000' },
    'enqueue-jobs': { type: 'string', default: '50000' },
    'pickup-jobs': { type: 'string', default: '200' },
    'skip-bullmq': { type: 'boolean', default: false },
    /** Comma list of phases to run: enqueue,http,drain1,drain2,pickup,bullmq (default all). */
    only: { type: 'string' },
  },
});

if (args.store === 'postgres') {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
} else if (args.store === 'sqlite') {
  delete process.env.DATABASE_URL;
} else {
  console.error(`--store must be sqlite or postgres, got '${args.store}'`);
  process.exit(2);
}

const concurrency = Number(args.concurrency);
const drainJobs = Number(args['drain-jobs']);
const enqueueJobs = Number(args['enqueue-jobs']);
const pickupJobs = Number(args['pickup-jobs']);
const notes: string[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);
const now = () => performance.timeOrigin + performance.now();
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

function noopJobs(n: number, prefix: string): NewJob[] {
  return Array.from({ length: n }, (_, i) => ({
    datasetId: 'bench', sku: `${prefix}-${i}`, modelId: 'naive', method: 'grid', reason: 'initial_import', priority: 3,
  }));
}

async function withDatabase<T>(label: string, fn: (db: TestDatabase, store: Store) => Promise<T>): Promise<T> {
  const db = await createTestDatabase(`bench-${label}`);
  const store = await db.open();
  try {
    return await fn(db, store);
  } finally {
    await stopAll();
    await store.close();
    await db.cleanup();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number, intervalMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function startWorkers(db: TestDatabase, n: number, extra: string[] = []): SkucastProcess[] {
  return Array.from({ length: n }, (_, i) =>
    startSkucast(`bench-w${i + 1}`, ['worker', '--handler', 'noop', '--concurrency', String(concurrency), '--worker-id', `bench-w${i + 1}`, ...extra],
      db.env, { stdout: 'ignore' }));
}

async function waitForWorkers(store: Store, workers: SkucastProcess[]): Promise<void> {
  const ids = new Set(workers.map((w) => w.name));
  try {
    await until(async () => (await store.listWorkers()).filter((w) => ids.has(w.workerId)).length === ids.size, 60_000, 20, 'workers to register');
  } catch (error) {
    const why = workers.map((w) => `${w.name}: ${w.running ? 'running' : 'exited'}; stderr: ${w.stderr.slice(-3).join(' | ')}`).join('; ');
    throw new Error(`${(error as Error).message} (${why})`);
  }
  // Registration is written just before the claim loop subscribes to wakes: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function stopWorkers(workers: SkucastProcess[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

async function benchEnqueueStore(): Promise<number> {
  return withDatabase('enqueue', async (_db, store) => {
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const jobs = noopJobs(enqueueJobs, `enq${r}`);
      const t = performance.now();
      const result = await store.enqueue(jobs, { batchId: `enqueue-${r}` });
      const ms = performance.now() - t;
      if (result.jobsCreated !== enqueueJobs) throw new Error(`enqueue created ${result.jobsCreated} of ${enqueueJobs}`);
      runs.push(rate(enqueueJobs, ms));
    }
    log(`  enqueue via store: ${runs.join(', ')} jobs/s over 3 runs of ${enqueueJobs} (median reported)`);
    return runs.sort((a, b) => a - b)[1];
  });
}

async function benchEnqueueHttp(): Promise<number> {
  return withDatabase('http', async (db, store) => {
    const skus = Array.from({ length: 10_000 }, (_, i) => `SKU-${i}`);
    await createDailyDataset(store, 'bench-http', skus, 60);
    const api = startSkucast('bench-api', ['api', '--port', '0'], db.env);
    const listening = await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''), 30_000);
    const url = new URL('api/jobs', listening.url as string).toString();
    const models = ['naive', 'mean', 'seasonal_naive', 'simple_exponential_smoothing', 'moving_average'];
    let created = 0;
    const t = performance.now();
    for (let i = 0; i < skus.length; i += 1_000) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ skus: skus.slice(i, i + 1_000), models, datasetId: 'bench-http' }),
      });
      const body = (await response.json()) as { jobsCreated?: number; error?: string };
      if (response.status !== 201) throw new Error(`POST /api/jobs answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
      created += body.jobsCreated ?? 0;
    }
    const ms = performance.now() - t;
    log(`  enqueue via HTTP: ${created} jobs in 10 requests of 1,000 SKUs x ${models.length} models, ${ms.toFixed(0)} ms`);
    api.child.kill('SIGTERM');
    await api.exited;
    return rate(created, ms);
  });
}

async function benchDrain(processes: number): Promise<number> {
  return withDatabase(`drain${processes}`, async (db, store) => {
    const workers = startWorkers(db, processes);
    await waitForWorkers(store, workers);
    const t = performance.now();
    await store.enqueue(noopJobs(drainJobs, 'drain'), { batchId: 'drain', supersede: false, reuse: false });
    await until(async () => (await store.summary()).completed >= drainJobs, 300_000, 10, 'the drain');
    const ms = performance.now() - t;
    await stopWorkers(workers);
    const summary = await store.summary();
    if (summary.completed !== drainJobs || summary.running !== 0) throw new Error(`drain left ${JSON.stringify(summary)}`);
    log(`  drain ${drainJobs} no-op jobs, ${processes} worker process(es) x concurrency ${concurrency}: ${ms.toFixed(0)} ms`);
    return rate(drainJobs, ms);
  });
}

async function benchPickup(): Promise<{ p50: number; p99: number; max: number }> {
  return withDatabase('pickup', async (db, store) => {
    const workers = startWorkers(db, 1);
    await waitForWorkers(store, workers);
    const latencies: number[] = [];
    for (let i = 0; i < pickupJobs; i++) {
      const t0 = now();
      const result = await store.enqueue(noopJobs(1, `pickup${i}`), { batchId: `pickup-${i}`, supersede: false, reuse: false });
      const id = result.firstId!;
      let startedAt: number | null = null;
      await until(async () => {
        const job = await store.getJob(id);
        if (job?.status !== 'completed') return false;
        startedAt = (job.result as { startedAt: number }).startedAt;
        return true;
      }, 10_000, 1, `pickup job ${id}`);
      latencies.push((startedAt as unknown as number) - t0);
      // An idle worker between jobs, as a planner's single edit would find it.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await stopWorkers(workers);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
    const round = (x: number) => Math.round(x * 100) / 100;
    log(`  pickup over ${pickupJobs} jobs: min ${round(latencies[0])} ms, max ${round(latencies[latencies.length - 1])} ms`);
    return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(latencies[latencies.length - 1]) };
  });
}

async function benchBullmq(workerConcurrency: number | null): Promise<number | null> {
  let bullmq: typeof import('bullmq');
  try {
    bullmq = await import('bullmq');
  } catch (error) {
    notes.push(`BullMQ not installed: ${(error as Error).message}`);
    return null;
  }
  const { Redis, why } = await loadIORedis();
  if (!Redis) {
    notes.push(`BullMQ skipped: ${why}`);
    return null;
  }
  const probe = new Redis({ ...redisOptions(), lazyConnect: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await Promise.race([
      probe.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3_000)),
    ]);
  } catch (error) {
    notes.push(`BullMQ skipped: Redis at 127.0.0.1:6379 is down (${(error as Error).message})`);
    probe.disconnect();
    return null;
  }
  probe.disconnect();
  const name = `skucast-bench-${process.pid}-${Date.now()}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const queue = new bullmq.Queue(name, { connection: new Redis(redisOptions()) as any });
  queue.on('error', () => undefined);
  await queue.waitUntilReady();
  const script = new URL('./bullmq-worker.js', import.meta.url).pathname;
  const children: ChildProcess[] = [];
  try {
    const ready = Array.from({ length: 2 }, () => {
      const child = spawn(process.execPath, [script, name, ...(workerConcurrency ? [String(workerConcurrency)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => line === 'ready' && resolve());
        child.once('exit', (code) => reject(new Error(`BullMQ worker exited with ${code}`)));
      });
    });
    await Promise.all(ready);
    const t = performance.now();
    for (let i = 0; i < drainJobs; i += 1_000) {
      await queue.addBulk(Array.from({ length: Math.min(1_000, drainJobs - i) }, (_, k) => ({ name: 'noop', data: { i: i + k } })));
    }
    await until(async () => (await queue.getJobCounts('completed')).completed >= drainJobs, 300_000, 10, 'the BullMQ drain');
    const ms = performance.now() - t;
    log(`  BullMQ drain ${drainJobs} no-op jobs, 2 processes, concurrency ${workerConcurrency ?? '1 (default)'}: ${ms.toFixed(0)} ms`);
    return rate(drainJobs, ms);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}

const only = args.only ? new Set(args.only.split(',')) : null;

async function phase<T>(name: string, fn: () => Promise<T>, key: string): Promise<T | null> {
  if (only && !only.has(key)) return null;
  try {
    return await fn();
  } catch (error) {
    notes.push(`${name}: ${(error as Error).message}`);
    log(`  ${name}: FAILED (${(error as Error).message})`);
    await stopAll();
    return null;
  }
}

const loadBefore = loadavg()[0];
log(`bench:queue on ${args.store}, ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(2)} (the machine may be shared)`);
const enqueueStore = await phase('enqueue via store', benchEnqueueStore, 'enqueue');
const enqueueHttp = await phase('enqueue via HTTP', benchEnqueueHttp, 'http');
const drain1 = await phase('drain, 1 process', () => benchDrain(1), 'drain1');
const drain2 = await phase('drain, 2 processes', () => benchDrain(2), 'drain2');
const pickup = await phase('pickup latency', benchPickup, 'pickup');
const bullmqDefault = args['skip-bullmq'] ? null : await phase('BullMQ drain (defaults)', () => benchBullmq(null), 'bullmq');
const bullmqSame = args['skip-bullmq'] ? null : await phase(`BullMQ drain (concurrency ${concurrency})`, () => benchBullmq(concurrency), 'bullmq');
const loadAfter = loadavg()[0];

const result = {
  store: args.store,
  enqueue_store_jobs_per_s: enqueueStore,
  enqueue_http_jobs_per_s: enqueueHttp,
  drain_1proc_jobs_per_s: drain1,
  drain_2proc_jobs_per_s: drain2,
  pickup_p50_ms: pickup?.p50 ?? null,
  pickup_p99_ms: pickup?.p99 ?? null,
  bullmq_drain_jobs_per_s: bullmqDefault,
  bullmq_drain_same_concurrency_jobs_per_s: bullmqSame,
  worker_concurrency: concurrency,
  drain_jobs: drainJobs,
  cpus: availableParallelism(),
  load_average_before: Math.round(loadBefore * 100) / 100,
  load_average_after: Math.round(loadAfter * 100) / 100,
  notes,
};

const rows: Array<[string, string, string]> = [
  ['enqueue via store (50k bulk)', fmt(enqueueStore, 'jobs/s'), '>= 100,000'],
  ['enqueue via HTTP', fmt(enqueueHttp, 'jobs/s'), ''],
  ['drain, 1 worker process', fmt(drain1, 'jobs/s'), ''],
  ['drain, 2 worker processes', fmt(drain2, 'jobs/s'), `>= 5,000 and >= 2x BullMQ${bullmqDefault ? ` (${(drain2 ?? 0) >= 2 * bullmqDefault ? 'met' : 'not met'})` : ''}`],
  ['pickup p50', fmt(pickup?.p50 ?? null, 'ms'), ''],
  ['pickup p99', fmt(pickup?.p99 ?? null, 'ms'), '<= 20 ms'],
  ['BullMQ drain, 2 processes, defaults', fmt(bullmqDefault, 'jobs/s'), ''],
  [`BullMQ drain, 2 processes, concurrency ${concurrency}`, fmt(bullmqSame, 'jobs/s'), ''],
];
log('');
for (const [what, value, goal] of rows) log(`${what.padEnd(44)} ${value.padStart(16)}   ${goal}`);
log(`load average ${result.load_average_before} -> ${result.load_average_after} on ${result.cpus} CPUs; worker concurrency ${concurrency}`);
for (const note of notes) log(`note: ${note}`);
if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

function fmt(value: number | null, unit: string): string {
  return value === null ? 'n/a' : `${value.toLocaleString('en-US')} ${unit}`;
}
