/**
 * `skucast prune [--retention-days N] [--dry-run] [--json]`: the retention a worker runs hourly, on
 * demand, as a real process on a SQLite file (the store paths behind it, countPrunable and prune,
 * are in the conformance suite for both stores). It says what it deleted, or would, by status, the
 * cutoff, and where the retention came from (flag, SKUCAST_RETENTION_DAYS, or the default, warned).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bareDataset, newJob } from '../../src/queue/testing/store-fixtures.js';
import { openStore } from '../../src/stores/open-store.js';
import type { Store } from '../../src/stores/store.js';
import { serverJs } from '../support/skucast-process.js';

const day = 86_400_000;
let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skucast-prune-'));
  dbPath = join(dir, 'queue.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  delete childEnv.DATABASE_URL;
  if (!('SKUCAST_RETENTION_DAYS' in env)) delete childEnv.SKUCAST_RETENTION_DAYS; // the operator's shell without it
  return spawnSync(process.execPath, [serverJs, 'prune', '--database-path', dbPath, ...args], { env: childEnv, encoding: 'utf8', timeout: 60_000 });
}

async function withStore<T>(now: number, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ databasePath: dbPath, now: () => now });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** 40 days ago: two runs of A/ets (the newer holds A's forecast), one failed, two cancelled, a worker, a key; today: one completed, one pending. */
async function seed(): Promise<void> {
  const old = Date.now() - 40 * day;
  await withStore(old, async (store) => {
    await bareDataset(store, 'ds-1');
    for (const [i, sku] of ['A', 'A', 'B'].entries()) {
      await store.enqueue([newJob({ datasetId: 'ds-1', sku })], { batchId: `b-${i}` });
      const [c] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      if (i < 2) await store.complete(c, { ok: true });
      else await store.fail(c, 'bad');
    }
    await store.enqueue([newJob({ datasetId: 'ds-1' }), newJob({ datasetId: 'ds-1' })], { batchId: 'c' });
    await store.cancel({ batchId: 'c' });
    await store.heartbeatWorker({ workerId: 'gone', host: 'h', pid: 1, concurrency: 1, startedAt: old, lastHeartbeatAt: old, running: 0, status: 'running' });
    await store.claimIdempotencyKey({ scope: 'POST /api/jobs', key: 'k', token: 't', claimMs: 60_000, keepMs: day });
  });
  await withStore(Date.now(), async (store) => {
    await store.enqueue([newJob({ datasetId: 'ds-1', sku: 'C' })], { batchId: 'recent' });
    const [c] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await store.complete(c, { ok: true });
    await store.enqueue([newJob({ datasetId: 'ds-1', sku: 'D' })], { batchId: 'waiting' });
  });
}

const summary = () => withStore(Date.now(), (store) => store.summary());

describe('skucast prune', () => {
  it('--dry-run counts by status, worker and key, naming the cutoff, deleting nothing; then prune deletes exactly that', async () => {
    await seed();
    const before = await summary();
    expect(before).toMatchObject({ completed: 3, failed: 1, cancelled: 2, pending: 1 });

    const started = Date.now();
    const dry = run(['--dry-run', '--json']);
    // The default retention is warned of with --json too (a cron script's stderr), and in the answer.
    expect(dry.stderr).toMatch(/WARNING/);
    expect(dry.status).toBe(0);
    const answer = JSON.parse(dry.stdout);
    expect(answer.warning).toMatch(/WARNING/);
    expect(answer).toMatchObject({
      dryRun: true, deleted: 4, jobs: { completed: 1, failed: 1, cancelled: 2, total: 4 }, workers: 1, idempotencyKeys: 1, retentionDays: 30, retentionSource: 'default',
    });
    const cutoff = Date.parse(answer.cutoffs.jobsFinishedBefore);
    expect(cutoff).toBeGreaterThanOrEqual(started - 30 * day);
    expect(cutoff).toBeLessThanOrEqual(Date.now() - 30 * day);
    expect(Date.parse(answer.cutoffs.workersBeatBefore) - cutoff).toBe(29 * day);
    expect({ ...(await summary()), version: 0 }).toEqual({ ...before, version: 0 });

    const words = run(['--dry-run']);
    expect(words.status).toBe(0);
    expect(words.stdout).toMatch(/^Would prune 4 finished job\(s\) that finished over 30 d ago \(before \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\): completed 1, failed 1, cancelled 2; would forget 1 worker\(s\) silent over 1 d; would forget 1 idempotency key\(s\) claimed over 1 d ago \(dry run: nothing deleted\)\nRetention: 30 day\(s\), the DEFAULT \(SKUCAST_RETENTION_DAYS is not set in this shell\)\n$/);
    expect(words.stderr).toMatch(/^skucast prune: WARNING: SKUCAST_RETENTION_DAYS is not set in this shell, so this uses the DEFAULT retention of 30 days\.\n.*deletes finished jobs they keep.*\n.*Nothing is deleted now \(--dry-run\)\. pass --retention-days N/);

    const pruned = run([]);
    expect(pruned.stderr).toMatch(/WARNING: .*DEFAULT retention of 30 days[\s\S]*Check first with --dry-run, and pass --retention-days N/);
    expect(pruned.status).toBe(0);
    expect(pruned.stdout).toMatch(/^Pruned 4 finished job\(s\) that finished over 30 d ago \(before .*\): completed 1, failed 1, cancelled 2; forgot 1 worker\(s\) silent over 1 d; forgot 1 idempotency key\(s\) claimed over 1 d ago\nRetention: 30 day\(s\), the DEFAULT/);
    // A's newest run (its forecast) and today's job stay; pending is never pruned.
    expect(await summary()).toMatchObject({ completed: 2, failed: 0, cancelled: 0, pending: 1, total: 3 });
    expect(JSON.parse(run(['--json']).stdout)).toMatchObject({ dryRun: false, deleted: 0, workers: 0, idempotencyKeys: 0 });
  });

  it('SKUCAST_RETENTION_DAYS=0 keeps every job and says so; a missing database is exit 1, answered in JSON too', async () => {
    await seed();
    const kept = run(['--dry-run'], { SKUCAST_RETENTION_DAYS: '0' });
    expect(kept.status).toBe(0);
    expect(kept.stderr).toBe('');
    expect(kept.stdout).toBe('Would keep every finished job (SKUCAST_RETENTION_DAYS=0); would forget 1 idempotency key(s) claimed over 1 d ago (dry run: nothing deleted)\n'
      + 'Retention: 0 (keep every job), from SKUCAST_RETENTION_DAYS\n');
    dbPath = join(dir, 'typo.db');
    const missing = run(['--json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^skucast: no SQLite database at .*typo\.db/);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: expect.stringMatching(/no SQLite database/) });
  });

  it('--retention-days wins over SKUCAST_RETENTION_DAYS, says so, warns of nothing; a bad value is refused as the variable is', async () => {
    await seed();
    // The shell says 30, the workers (and the flag) 90: nothing 40 days old goes.
    const dry = run(['--dry-run', '--json', '--retention-days', '90'], { SKUCAST_RETENTION_DAYS: '30' });
    expect(dry.stderr).toBe('');
    expect(JSON.parse(dry.stdout)).toMatchObject({ deleted: 0, retentionDays: 90, retentionSource: 'flag', warning: null });
    const env = run(['--dry-run', '--json'], { SKUCAST_RETENTION_DAYS: '90' });
    expect(JSON.parse(env.stdout)).toMatchObject({ deleted: 0, retentionDays: 90, retentionSource: 'env' });
    const words = run(['--retention-days', '35']);
    expect(words.stderr).toBe('');
    expect(words.stdout).toMatch(/finished over 35 d ago[^\n]*\nRetention: 35 day\(s\), from --retention-days\n$/);
    expect(await summary()).toMatchObject({ completed: 2, failed: 0, cancelled: 0, pending: 1 });
    const zero = run(['--dry-run', '--retention-days', '0']);
    expect(zero.stdout).toMatch(/^Would keep every finished job \(--retention-days 0\);[^\n]*\nRetention: 0 \(keep every job\), from --retention-days\n$/);
    for (const bad of ['-1', '36501', 'abc', '']) {
      const refused = run(['--retention-days', bad]);
      expect(refused.status, bad).toBe(1);
      expect(refused.stderr, bad).toMatch(/--retention-days <n>' argument '.*' is invalid\. expected a number of days from 0 to 36500/);
    }
    expect(await summary()).toMatchObject({ completed: 2, pending: 1 });
  });
});
