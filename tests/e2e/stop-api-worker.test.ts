import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { allJobs } from '../../src/queue/testing/store-fixtures.js';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.js';
import { postgresTestUrl, type PostgresTestSchema } from '../../src/stores/postgres/postgres-test-schema.js';
import type { Store } from '../../src/stores/store.js';
import { holdTableLock, untilBlockedBy, type LockHolder } from '../support/postgres-lock-holder.js';
import { pollUntil, startSkucast, stopAll } from '../support/skucast-process.js';
import { createMigratedPostgresSchema } from '../support/test-database.js';

/**
 * `skucast api`'s and `skucast worker`'s stops with a PostgreSQL that does not answer: another
 * session holds the worker registry (LOCK TABLE workers), so a statement of each process's stop
 * (the API's /api/health read in flight at SIGTERM, the worker's 'stopping' beat) never answers
 * and keeps a pooled connection that the store's close (pg's `pool.end()`) waits for. Each stop must
 * still end within its bounds, shortened here through SKUCAST_HTTP_DRAIN_MS and
 * SKUCAST_STORE_CLOSE_MS (to its floor, 1000 ms: env.ts), with exit code 1 and the warning naming
 * what was pending, as `skucast start`'s does (tests/e2e/stop-start.test.ts). A worker's bound counts
 * from the signal even when the signal comes while it is still starting behind that lock. And the
 * stop's other half on a database that answers: the jobs a worker was running when its drain ran
 * out are given back, not left to their leases.
 */
const baseUrl = postgresTestUrl('skucast api and worker stops with a hung database');

const bounds = { SKUCAST_HTTP_DRAIN_MS: '200', SKUCAST_STORE_CLOSE_MS: '1000', LOG_FORMAT: 'json' };
/** Generous: it only turns a stop that never ends into a failure that says so. */
const stopWaitMs = 15_000;

let db: PostgresTestSchema | undefined;
let holder: LockHolder | undefined;
let store: Store | undefined;
afterEach(async () => {
  const leaked = await stopAll();
  await store?.close();
  store = undefined;
  // The lock let go, whatever the processes left hung answers and the schema can go.
  await holder?.release();
  holder = undefined;
  await db?.drop();
  db = undefined;
  expect(leaked).toEqual([]);
});

async function migratedSchema(label: string): Promise<PostgresTestSchema> {
  db = await createMigratedPostgresSchema(baseUrl!, label);
  return db;
}

/** Another session takes the registry table; every statement on it from now on waits. */
async function lockWorkers(schema: PostgresTestSchema): Promise<LockHolder> {
  holder = await holdTableLock(baseUrl!, `${schema.schema}.workers`, 'ACCESS EXCLUSIVE');
  return holder;
}

describe.skipIf(!baseUrl)('stops bounded against a database that does not answer', () => {
  it('skucast api: drops the request hung on the lock at the HTTP bound, then exits 1 once the store has not closed in time', async () => {
    const schema = await migratedSchema('stop_api');
    const api = startSkucast('api', ['api', '--port', '0'], { DATABASE_URL: schema.url, DATABASE_PATH: '', ...bounds });
    const { url } = await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''));
    const lock = await lockWorkers(schema);
    const health = new Promise<number | undefined>((resolve, reject) => {
      request(new URL('api/health', url as string), (res) => resolve(res.statusCode)).once('error', reject).end();
    });
    health.catch(() => undefined); // it fails while the stop runs; asserted below
    // The request is in flight once its read waits on the lock.
    await untilBlockedBy(baseUrl!, lock, 'the health read to wait on the lock', 10_000);
    api.child.kill('SIGTERM');

    await api.waitForLine((l) => /^the store did not close in time/.test(l.msg ?? ''), stopWaitMs);
    expect(await api.exited).toEqual({ code: 1, signal: null });
    await expect(health).rejects.toThrow(/socket hang up|ECONNRESET/);
    const messages = api.lines.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining([
      'HTTP requests still running at the bound; dropping their connections',
      'HTTP connections dropped; closing the store',
    ]));
    expect(messages).not.toContain('stopped');
    expect(api.lines.find((l) => /^the store did not close in time/.test(l.msg ?? ''))).toMatchObject({ level: 40, timeoutMs: 1000 });
  });

  it('skucast worker: exits 1 once its stop\'s last registry write and the store\'s close have not ended past --shutdown-ms + the bound', async () => {
    const schema = await migratedSchema('stop_worker');
    const worker = startSkucast('worker', ['worker', '--handler', 'noop', '--concurrency', '1', '--shutdown-ms', '0'],
      { DATABASE_URL: schema.url, DATABASE_PATH: '', ...bounds });
    await worker.waitForLine((l) => l.event === 'start');
    await lockWorkers(schema);
    worker.child.kill('SIGTERM');

    // The warning says what had not ended: the drain, held by its 'stopping' beat.
    const cut = await worker.waitForLine((l) => /^Worker: its drain had not ended/.test(l.msg ?? ''), stopWaitMs);
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(cut).toMatchObject({ level: 40, timeoutMs: 1000, stage: 'drain', running: 0 });
    // Its 'stopping' beat never answered, so it never got as far as saying it stopped.
    expect(worker.lines.some((l) => l.event === 'stop' && /^Worker: stopped/.test(l.msg ?? ''))).toBe(false);
  });

  it('skucast worker: a SIGTERM while it is still starting (its first registry write waits on the lock) is bounded from the signal, exit 1', async () => {
    const schema = await migratedSchema('stop_worker_starting');
    const lock = await lockWorkers(schema);
    const worker = startSkucast('worker', ['worker', '--handler', 'noop', '--concurrency', '1', '--shutdown-ms', '0'],
      { DATABASE_URL: schema.url, DATABASE_PATH: '', ...bounds });
    await untilBlockedBy(baseUrl!, lock, 'the starting worker to wait on the lock', 10_000);
    worker.child.kill('SIGTERM');

    // Was: no bound until started, so the worker waited on the lock for as long as it was held.
    const cut = await worker.waitForLine((l) => /^Worker: still starting/.test(l.msg ?? ''), stopWaitMs);
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(cut).toMatchObject({ level: 40, timeoutMs: 1000, stage: 'start' });
    expect(worker.lines.some((l) => l.event === 'start')).toBe(false);
  });

  it('skucast worker on a database that answers: the jobs running when --shutdown-ms ran out are given back (pending, attempt returned), not left to their leases', async () => {
    const schema = await migratedSchema('stop_worker_jobs');
    store = await openPostgresStore(schema.url);
    const total = 4;
    await store.enqueue(Array.from({ length: total }, (_, i) => ({
      datasetId: 'stop', sku: `SKU-${i}`, modelId: 'naive', method: 'grid', reason: 'manual_trigger' as const, priority: 3,
    })), { batchId: 'stop', reuse: false });
    // Jobs that would run for ten minutes, and no drain: the stop aborts them at once, and what
    // the stop writes (the releases, the last beat) has SKUCAST_STORE_CLOSE_MS to land.
    const worker = startSkucast('worker', [
      'worker', '--handler', 'noop', '--concurrency', String(total), '--noop-ms', '600000', '--shutdown-ms', '0',
    ], { DATABASE_URL: schema.url, DATABASE_PATH: '', LOG_FORMAT: 'json', SKUCAST_STORE_CLOSE_MS: '2000' });
    await pollUntil(`all ${total} jobs running`, async () => {
      if (!worker.running) throw new Error(`the worker exited before running its jobs: ${worker.stderr.slice(-20).join(' | ')}`);
      return (await store!.summary()).running === total;
    }, 15_000);
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;

    // Was a kill's outcome: left running, the attempt spent, until a rescue after the lease.
    const jobs = await allJobs(store);
    expect(jobs.map((j) => ({ status: j.status, attempts: j.attempts }))).toEqual(jobs.map(() => ({ status: 'pending', attempts: 0 })));
    expect(jobs).toHaveLength(total);
    expect(worker.lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
