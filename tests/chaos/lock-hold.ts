/**
 * The lock-hold scenario: worker processes (noop handler) work through a SQLite queue while
 * another process takes the write lock (BEGIN IMMEDIATE, as a backup, a big import or an
 * operator's sqlite3 session does) and holds it longer than the busy timeout. Every job must end
 * completed on its first attempt: no finished result thrown away, nothing run twice.
 *
 *   npm run chaos:lock -- --jobs 3000 --lock-hold 25 [--workers 3] [--concurrency 8] [--noop-ms 150]
 *
 * Defaults are the product's (30 s lease, 10 s busy timeout). Exits 1 when a job was run twice,
 * failed, or not completed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgs } from '../support/cli-args.js';
import { allJobs } from '../../src/queue/testing/store-fixtures.js';
import { holdWriteLock } from '../../src/stores/sqlite/sqlite-lock-holder.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { startSkucast, stopAll, type SkucastProcess } from '../support/skucast-process.js';

export interface LockHoldOptions {
  jobs: number;
  workers: number;
  concurrency: number;
  noopMs: number;
  holdMs: number;
  leaseMs: number;
  /** The workers' busy timeout (SQLITE_BUSY_TIMEOUT_MS), default the product's 10 s. */
  busyTimeoutMs?: number;
  say?: (line: string) => void;
}

export interface LockHoldReport {
  jobs: number;
  completed: number;
  firstAttempt: number;
  failed: number;
  /** Jobs that ran more than once (attempts > 1, or rescued). */
  ranAgain: number;
  /** What the jobs that ran again were told (their error), distinct. */
  ranAgainWhy: string[];
  /** Jobs completed while the lock was held, and those waiting with a finished result when it lifted. */
  finishedBeforeLock: number;
  settleRetries: number;
  renewed: number;
  lockHeldMs: number;
  wallMs: number;
}

export async function runLockHold(o: LockHoldOptions): Promise<LockHoldReport> {
  const say = o.say ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'skucast-lock-hold-'));
  const path = join(dir, 'forecast-jobs.db');
  const store = await openSqliteStore(path);
  const workers: SkucastProcess[] = [];
  const started = Date.now();
  try {
    await store.migrate();
    const batch = Array.from({ length: o.jobs }, (_, i) => ({
      datasetId: 'lock-hold', sku: `SKU-${i}`, modelId: 'naive', method: 'grid', reason: 'manual_trigger' as const, priority: 3,
    }));
    await store.enqueue(batch, { batchId: 'lock-hold', supersede: false, reuse: false });
    // DATABASE_URL emptied: a PostgreSQL URL in the caller's environment must not send the workers elsewhere.
    const env: Record<string, string> = { DATABASE_PATH: path, DATABASE_URL: '' };
    if (o.busyTimeoutMs !== undefined) env.SQLITE_BUSY_TIMEOUT_MS = String(o.busyTimeoutMs);
    for (let w = 0; w < o.workers; w++) {
      workers.push(startSkucast(`lock-w${w}`, [
        'worker', '--handler', 'noop', '--noop-ms', String(o.noopMs), '--lease-ms', String(o.leaseMs),
        '--concurrency', String(o.concurrency), '--worker-id', `lock-w${w}`, '--shutdown-ms', '10000',
      ], { ...env, LOG_LEVEL: process.env.LOCK_HOLD_LOG ?? 'warn' }, { keepLines: !!process.env.LOCK_HOLD_LOG }));
    }
    // Take the lock once a tenth of the jobs is done: the rest are claimed, running, or finishing.
    const finished = async () => { const s = await store.summary(); return s.completed + s.failed; };
    const startBy = Date.now() + 60_000;
    while ((await finished()) < Math.ceil(o.jobs / 10)) {
      if (Date.now() > startBy) throw new Error(`the workers finished only ${await finished()} jobs in a minute: ${workers.map((w) => w.stderr.slice(-2).join(' ')).join(' | ')}`);
      await sleep(20);
    }
    const finishedBeforeLock = await finished();
    say(`${finishedBeforeLock} of ${o.jobs} done; another process takes the write lock for ${o.holdMs / 1000} s`);
    const lockAt = Date.now();
    const holder = await holdWriteLock(path, { holdMs: o.holdMs });
    await holder.released;
    const lockHeldMs = Date.now() - lockAt;
    say(`lock released after ${(lockHeldMs / 1000).toFixed(1)} s; waiting for the queue to drain`);
    const deadline = Date.now() + Math.max(120_000, o.jobs * 50);
    while ((await finished()) < o.jobs) {
      if (Date.now() > deadline) throw new Error(`only ${await finished()} of ${o.jobs} jobs finished before the deadline`);
      await sleep(100);
    }
    const wallMs = Date.now() - started;
    if (process.env.LOCK_HOLD_LOG) {
      for (const w of workers) for (const l of w.lines) if (['rescue', 'fenced', 'settle'].includes(String(l.event))) say(`${w.name} ${JSON.stringify(l)}`);
    }
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    // After they stopped: a stopping worker heartbeats its final counters. Read before, they could
    // be up to a heartbeat (5 s) old, from before the lock, when a drain ends that soon after it.
    const workerInfo = await store.listWorkers();
    const sum = (name: string) => workerInfo.reduce((n, w) => n + (w.counters?.[name] ?? 0), 0);
    const jobs = await allJobs(store);
    const report: LockHoldReport = {
      jobs: jobs.length,
      completed: jobs.filter((j) => j.status === 'completed').length,
      firstAttempt: jobs.filter((j) => j.status === 'completed' && j.attempts === 1).length,
      failed: jobs.filter((j) => j.status === 'failed').length,
      ranAgain: jobs.filter((j) => j.attempts > 1).length,
      ranAgainWhy: [...new Set(jobs.filter((j) => j.attempts > 1).map((j) => String(j.error)))],
      finishedBeforeLock,
      settleRetries: sum('settleRetries'),
      renewed: sum('renewed'),
      lockHeldMs,
      wallMs,
    };
    return report;
  } finally {
    await stopAll();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function formatLockHold(r: LockHoldReport): string {
  return [
    `lock-hold: ${r.jobs} jobs, write lock held ${(r.lockHeldMs / 1000).toFixed(1)} s by another process (${r.finishedBeforeLock} done before it)`,
    `  completed ${r.completed}, on the first attempt ${r.firstAttempt}, failed ${r.failed}, ran more than once ${r.ranAgain}`,
    ...(r.ranAgainWhy.length > 0 ? [`  ran again because: ${r.ranAgainWhy.join('; ')}`] : []),
    `  final writes refused and retried: ${r.settleRetries}; lease renewals: ${r.renewed}; wall ${(r.wallMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

if (process.argv[1]?.endsWith('lock-hold.js')) {
  const { values } = cliArgs('chaos:lock', {
    jobs: { type: 'string', default: '3000' },
    workers: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
    'noop-ms': { type: 'string', default: '150' },
    'lock-hold': { type: 'string', default: '25' },
    'lease-ms': { type: 'string', default: '30000' },
    'busy-timeout-ms': { type: 'string' },
  });
  const report = await runLockHold({
    jobs: Number(values.jobs), workers: Number(values.workers), concurrency: Number(values.concurrency),
    noopMs: Number(values['noop-ms']), holdMs: Number(values['lock-hold']) * 1000, leaseMs: Number(values['lease-ms']),
    busyTimeoutMs: values['busy-timeout-ms'] === undefined ? undefined : Number(values['busy-timeout-ms']),
    say: (line) => console.log(line),
  });
  console.log(formatLockHold(report));
  const ok = report.completed === report.jobs && report.firstAttempt === report.jobs && report.failed === 0 && report.ranAgain === 0;
  console.log(ok ? 'lock-hold: OK: every job completed on its first attempt' : 'lock-hold: FAILED');
  process.exit(ok ? 0 : 1);
}
