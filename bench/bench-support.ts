/**
 * What the queue benchmarks share: fresh databases per phase, worker processes, waiting for a
 * condition, and percentiles. Nothing here measures anything by itself.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { NewJob } from '../src/queue/job.js';
import type { Store } from '../src/stores/store.js';
import { createTestDatabase, type TestDatabase } from '../tests/support/test-database.js';
import { startSkucast, stopAll, type SkucastProcess } from '../tests/support/skucast-process.js';

export const log = (line: string) => process.stdout.write(`${line}\n`);
/**
 * The system-wide monotonic clock (CLOCK_MONOTONIC) in ms, to compare moments taken in different
 * processes (pickups: the enqueue here, the handler's start in a worker). Not
 * performance.timeOrigin + performance.now(): each process fixes its timeOrigin once at start from
 * two clock reads, and a process descheduled between them is off by that for its whole life (a
 * loaded machine showed pickups of -7.8 ms, a handler starting before its job was enqueued).
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** This process's CPU time so far (user + system, all its threads) in ms: SQLite runs in-process, so this is the store's own cost, which a shared machine's load blurs far less than wall time. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A bulk enqueue's rates (bench-enqueue.ts). */
export interface EnqueueRates {
  /** The median call's, per wall-clock second and per CPU second of this process. */
  jobs_per_s: number;
  jobs_per_cpu_s: number;
  /** Every call's jobs over every call's time and the final checkpoint's (null: no checkpoint timed, PostgreSQL). */
  sustained_jobs_per_s: number | null;
  checkpoint_ms: number | null;
}

/** The time of a checkpoint of everything in a SQLite connection's WAL (`PRAGMA wal_checkpoint(TRUNCATE)`), both sides of bench-enqueue alike. */
export function timedCheckpoint(connection: { pragma(source: string): unknown }): number {
  const t = performance.now();
  connection.pragma('wal_checkpoint(TRUNCATE)');
  return performance.now() - t;
}

/** Rates of `runs` calls ([wall ms, CPU ms] pairs of `n` jobs each) and the WAL checkpoint after them. */
export function enqueueRates(n: number, runs: Array<[number, number]>, checkpointMs: number | null = null): EnqueueRates {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    jobs_per_s: median(runs.map(([ms]) => rate(n, ms))),
    jobs_per_cpu_s: median(runs.map(([, cpu]) => rate(n, cpu))),
    sustained_jobs_per_s: checkpointMs === null ? null : rate(n * runs.length, runs.reduce((sum, [ms]) => sum + ms, checkpointMs)),
    checkpoint_ms: checkpointMs,
  };
}

export function noopJobs(n: number, prefix: string, datasetId = 'bench', priority = 3): NewJob[] {
  return Array.from({ length: n }, (_, i) => ({
    datasetId, sku: `${prefix}-${i}`, modelId: 'naive', method: 'grid', reason: 'initial_import', priority,
  }));
}

export async function withDatabase<T>(label: string, fn: (db: TestDatabase, store: Store) => Promise<T>): Promise<T> {
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

export async function until(check: () => Promise<boolean>, timeoutMs: number, intervalMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function startWorkers(db: TestDatabase, n: number, concurrency: number, extra: string[] = []): SkucastProcess[] {
  return Array.from({ length: n }, (_, i) =>
    startSkucast(`bench-w${i + 1}`, ['worker', '--handler', 'noop', '--concurrency', String(concurrency), '--worker-id', `bench-w${i + 1}`, ...extra],
      db.env, { stdout: 'ignore' }));
}

export async function waitForWorkers(store: Store, workers: SkucastProcess[], timeoutMs = 60_000): Promise<void> {
  const ids = new Set(workers.map((w) => w.name));
  try {
    await until(async () => (await store.listWorkers()).filter((w) => ids.has(w.workerId)).length === ids.size, timeoutMs, 20, 'workers to register');
  } catch (error) {
    const why = workers.map((w) => `${w.name}: ${w.running ? 'running' : 'exited'}; stderr: ${w.stderr.slice(-3).join(' | ')}`).join('; ');
    throw new Error(`${(error as Error).message} (${why})`);
  }
  // Registration is written just before the claim loop subscribes to wakes: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

export async function stopWorkers(workers: SkucastProcess[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

/** p-th quantile (0..1) of values sorted ascending (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Times `n` calls of fn one after another; returns the sorted durations in ms. */
export async function timeCalls(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

/** A connection to the server of `url` (schema parameters stripped); end() it when done. */
export async function pgClient(url: string): Promise<pg.Client> {
  const clean = new URL(url);
  clean.searchParams.delete('schema');
  clean.searchParams.delete('connection_limit');
  const client = new pg.Client({ connectionString: clean.href });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Runs one query on a short-lived connection to the server of `url` (schema parameters stripped). */
export async function pgQuery<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = await pgClient(url);
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
