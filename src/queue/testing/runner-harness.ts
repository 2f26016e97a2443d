/**
 * Test support for the queue's own tests: a real SQLite store on a temp file whose clock is a
 * ManualClock (optionally skewed, to play a store that has moved on), a logger that records every
 * line and lets a test await one, and a handler whose runs the test settles by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../stores/sqlite/sqlite-store.js';
import type { Store } from '../../stores/store.js';
import type { Job, NewJob } from '../job.js';
import type { JobContext, JobHandler } from '../job-handler.js';
import { ManualClock } from '../manual-clock.js';
import type { QueueLogger } from '../queue-logger.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export class RecordingLogger implements QueueLogger {
  readonly entries: LogEntry[] = [];
  private waiters: Array<{ match: (e: LogEntry) => boolean; count: number; resolve: () => void }> = [];

  debug = (obj: object, msg?: string) => this.add('debug', obj, msg);
  info = (obj: object, msg?: string) => this.add('info', obj, msg);
  warn = (obj: object, msg?: string) => this.add('warn', obj, msg);
  error = (obj: object, msg?: string) => this.add('error', obj, msg);

  events(event: string): LogEntry[] {
    return this.entries.filter((e) => e.obj.event === event);
  }

  /** Resolves once `count` lines with this event (and fields) have been logged. */
  waitFor(event: string, fields: Record<string, unknown> = {}, count = 1): Promise<void> {
    const match = (e: LogEntry) => e.obj.event === event && Object.entries(fields).every(([k, v]) => e.obj[k] === v);
    if (this.entries.filter(match).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, count, resolve }));
  }

  private add(level: LogEntry['level'], obj: object, msg?: string): void {
    this.entries.push({ level, obj: obj as Record<string, unknown>, msg });
    this.waiters = this.waiters.filter((w) => {
      if (this.entries.filter(w.match).length < w.count) return true;
      w.resolve();
      return false;
    });
  }
}

export interface Harness {
  store: Store;
  /** The SQLite file, for a second process (e.g. one holding the write lock). */
  path: string;
  clock: ManualClock;
  logger: RecordingLogger;
  /** Moves the store's clock (not the runner's) ahead, e.g. past a lease that was never renewed. */
  skewStore(ms: number): void;
  enqueue(jobs: Array<Partial<NewJob>>): Promise<number[]>;
  close(): Promise<void>;
}

export async function openHarness(options: { busyTimeoutMs?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'skucast-queue-'));
  const clock = new ManualClock();
  let skew = 0;
  const path = join(dir, 'queue.db');
  const store = await openSqliteStore(path, { now: () => clock.now() + skew, busyTimeoutMs: options.busyTimeoutMs });
  await store.migrate();
  let batch = 0;
  return {
    store,
    path,
    clock,
    logger: new RecordingLogger(),
    skewStore: (ms) => void (skew += ms),
    async enqueue(jobs) {
      const batchJobs = jobs.map((j, i) => ({
        datasetId: null, sku: `SKU-${i}`, modelId: 'naive', method: 'grid', reason: 'manual_trigger' as const, priority: 3, ...j,
      }));
      const result = await store.enqueue(batchJobs, { batchId: `batch-${++batch}`, supersede: false, reuse: false });
      // The ids in the order of the jobs given: a store gives a batch's ids in SKU order, keeping
      // the order of one SKU's jobs, so each job takes the next id stored with its SKU.
      const bySku = new Map<string, number[]>();
      for (let id = result.firstId ?? 0; result.firstId !== null && id <= (result.lastId ?? 0); id++) {
        const sku = (await store.getJob(id))!.sku;
        bySku.set(sku, [...(bySku.get(sku) ?? []), id]);
      }
      return batchJobs.map((j) => bySku.get(j.sku)!.shift()!);
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A handler whose runs wait until the test settles them; it records the order runs started in. */
export class ManualHandler implements JobHandler {
  readonly started: Job[] = [];
  readonly runs = new Map<number, { ctx: JobContext; resolve(value: unknown): void; reject(error: unknown): void }>();
  private startWaiters: Array<{ n: number; resolve: () => void }> = [];

  run(job: Job, ctx: JobContext): Promise<unknown> {
    this.started.push(job);
    return new Promise((resolve, reject) => {
      this.runs.set(job.id, { ctx, resolve, reject });
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      this.startWaiters = this.startWaiters.filter((w) => {
        if (this.started.length < w.n) return true;
        w.resolve();
        return false;
      });
    });
  }

  /** Resolves once `n` runs have started in total. */
  waitForStarts(n: number): Promise<void> {
    if (this.started.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.push({ n, resolve }));
  }

  run_(jobId: number) {
    const run = this.runs.get(jobId);
    if (!run) throw new Error(`job ${jobId} has not started`);
    return run;
  }
}
