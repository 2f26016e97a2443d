/**
 * BullMQ on Redis as bench-queue's yardstick: its drain (bullmq-worker.ts processes, its default
 * concurrency or ours) and its pickup, measured as ours is. Each run gets a fresh queue, removed
 * after it; null (and a note) when BullMQ or Redis is not there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { log, now, rate, round2, until } from './bench-support.js';
import { loadIORedis, redisOptions } from './ioredis-client.js';
import { pickupFiguresOf, type PickupFigures } from './pickup-figures.js';

let redisPersistenceTold = false;

/**
 * Runs fn against a fresh BullMQ queue on Redis with `processes` BullMQ worker processes
 * (bullmq-worker.ts; its default concurrency unless one is given); null (and a note) when BullMQ
 * or Redis is not there.
 */
async function withBullmq<T>(
  notes: string[], processes: number, workerConcurrency: number | null,
  fn: (queue: import('bullmq').Queue, bullmq: typeof import('bullmq')) => Promise<T>,
): Promise<T | null> {
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
  if (!redisPersistenceTold) {
    redisPersistenceTold = true;
    // BullMQ's durability is Redis's: say what this server keeps on disk (the comparison's other side).
    const setting = async (key: string) => ((await probe.config('GET', key).catch(() => [])) as string[])[1] ?? 'unknown';
    notes.push(`Redis persistence here: appendonly ${await setting('appendonly')}, save '${await setting('save')}' (BullMQ's jobs are as durable as that)`);
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
    const ready = Array.from({ length: processes }, () => {
      const child = spawn(process.execPath, [script, name, ...(workerConcurrency ? [String(workerConcurrency)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => line === 'ready' && resolve());
        child.once('exit', (code) => reject(new Error(`BullMQ worker exited with ${code}`)));
      });
    });
    await Promise.all(ready);
    return await fn(queue, bullmq);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}

export async function benchBullmq(notes: string[], drainJobs: number, workerConcurrency: number | null, processes = 2): Promise<number | null> {
  return withBullmq(notes, processes, workerConcurrency, async (queue) => {
    const t = performance.now();
    // One call, as ours is one store.enqueue.
    await queue.addBulk(Array.from({ length: drainJobs }, (_, i) => ({ name: 'noop', data: { i } })));
    await until(async () => (await queue.getJobCounts('completed')).completed >= drainJobs, 300_000, 10, 'the BullMQ drain');
    const ms = performance.now() - t;
    log(`  BullMQ drain ${drainJobs} no-op jobs, ${processes} process(es), concurrency ${workerConcurrency ?? '1 (default)'}: ${ms.toFixed(0)} ms`);
    return rate(drainJobs, ms);
  });
}

/** BullMQ's pickup, measured as ours (bench-scale.ts pickup): add to handler start, one idle worker process. */
export async function benchBullmqPickup(notes: string[], pickupJobs: number): Promise<PickupFigures | null> {
  return withBullmq(notes, 1, null, async (queue, bullmq) => {
    const latencies: number[] = [];
    const enqueueCalls: number[] = [];
    const afterEnqueue: number[] = [];
    for (let i = 0; i < pickupJobs; i++) {
      const t0 = now();
      const job = await queue.add('noop', { i });
      const t1 = now();
      let startedAt = 0;
      await until(async () => {
        const done = await bullmq.Job.fromId(queue, job.id!);
        startedAt = (done?.returnvalue as { startedAtMonotonicMs?: number } | undefined)?.startedAtMonotonicMs ?? 0;
        return startedAt > 0;
      }, 10_000, 1, `BullMQ pickup job ${job.id}`);
      latencies.push(startedAt - t0);
      enqueueCalls.push(t1 - t0);
      afterEnqueue.push(startedAt - t1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const xs of [latencies, enqueueCalls, afterEnqueue]) xs.sort((a, b) => a - b);
    const f = pickupFiguresOf({ latencies, enqueueCalls, afterEnqueue });
    log(`  BullMQ pickup over ${pickupJobs} jobs: min ${round2(latencies[0])} ms, max ${round2(latencies[latencies.length - 1])} ms; queue.add p50 ${f.call_p50} / p99 ${f.call_p99} ms, its return to handler start p50 ${f.after_p50} / p99 ${f.after_p99} ms`);
    return f;
  });
}
