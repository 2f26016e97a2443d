import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresTestUrl, type PostgresTestSchema } from '../../src/stores/postgres/postgres-test-schema.js';
import { holdTableLock, untilBlockedBy, type LockHolder } from '../support/postgres-lock-holder.js';
import { startSkucast, stopAll, type LogLine, type SkucastProcess } from '../support/skucast-process.js';
import { createMigratedPostgresSchema } from '../support/test-database.js';

/**
 * A repeated SIGTERM/SIGINT to real `skucast api`, `skucast start` and `skucast worker` processes,
 * each held in its stop by another session's lock, so the second signal surely comes while the
 * first's stop runs (no sleeps):
 * - `api` and `start` mid-stop: a line says the stop was cut short and what it abandons, then the
 *   exit with 130/143 (it was the default action, with no line);
 * - a worker whose drain is complete, while its store closes: the signal is logged and ignored, and
 *   the process exits 0 once the close ends (it was 143, no line: a failure for a clean stop).
 */
const baseUrl = postgresTestUrl('repeated signals to skucast api, start and worker');

/** Generous: it only turns a stop that never ends into a failure that says so. */
const waitMs = 20_000;

let db: PostgresTestSchema | undefined;
let holder: LockHolder | undefined;
afterEach(async () => {
  const leaked = await stopAll();
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

/** Another session takes `table` in `mode`; the statements that conflict with it wait from now on. */
async function lockTable(schema: PostgresTestSchema, table: string, mode: string): Promise<LockHolder> {
  holder = await holdTableLock(baseUrl!, `${schema.schema}.${table}`, mode);
  return holder;
}

/** Until a statement matching `pattern` (ILIKE) waits on the holder's lock. */
const untilWaitingOnLock = (what: string, pattern: string) => untilBlockedBy(baseUrl!, holder!, what, waitMs, pattern);

const message = (pattern: RegExp) => (l: LogLine) => pattern.test(l.msg ?? '');

/** Every line the process's stdout carries, once it is closed: `skucast start`'s workers write to it too, and may outlive it. */
function stdoutClosed(proc: SkucastProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.stdout!.closed) resolve();
    else proc.child.stdout!.once('close', () => resolve());
  });
}

describe.skipIf(!baseUrl)('a second signal', () => {
  it('skucast api: a second SIGTERM mid-stop logs that the stop was cut short, then exits 143', async () => {
    const schema = await migratedSchema('resig_api');
    const api = startSkucast('api', ['api', '--port', '0'], { DATABASE_URL: schema.url, DATABASE_PATH: '', LOG_FORMAT: 'json' });
    const { url } = await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''));
    // A request in flight that does not answer holds the stop (for SKUCAST_HTTP_DRAIN_MS, 60 s).
    await lockTable(schema, 'workers', 'ACCESS EXCLUSIVE');
    const health = new Promise<number | undefined>((resolve, reject) => {
      request(new URL('api/health', url as string), (res) => resolve(res.statusCode)).once('error', reject).end();
    });
    health.catch(() => undefined); // its connection dies with the process
    await untilWaitingOnLock('the health read to wait on the lock', '%workers%');
    api.child.kill('SIGTERM');
    await api.waitForLine(message(/^shutting down/));
    api.child.kill('SIGTERM');

    const cut = await api.waitForLine(message(/^second SIGTERM: stopping at once, the stop cut short: /), waitMs);
    expect(cut).toMatchObject({ level: 40, signal: 'SIGTERM', firstSignal: 'SIGTERM' });
    expect(cut.msg).toMatch(/requests in flight get no answer, the store is not closed/);
    expect(await api.exited).toEqual({ code: 143, signal: null });
    expect(api.lines.map((l) => l.msg)).not.toContain('stopped');
  });

  it('skucast start: a second SIGINT mid-stop logs that the stop was cut short, exits 130, and its worker then stops at once', async () => {
    const schema = await migratedSchema('resig_start');
    const start = startSkucast('start', ['start', '--workers', '1', '--concurrency', '1', '--port', '0'],
      { DATABASE_URL: schema.url, DATABASE_PATH: '', LOG_FORMAT: 'json' });
    await start.waitForLine((l) => l.event === 'start' && /^Worker: .* started/.test(l.msg ?? ''), waitMs);
    // The worker's drain writes `stopping` to the registry first: held there, it holds the stop.
    await lockTable(schema, 'workers', 'ACCESS EXCLUSIVE');
    start.child.kill('SIGINT');
    await start.waitForLine(message(/^shutting down/));
    await start.waitForLine(message(/^Worker: SIGINT received: finishing running jobs/), waitMs);
    start.child.kill('SIGINT');

    const cut = await start.waitForLine(message(/^second SIGINT: stopping at once, the stop cut short: /), waitMs);
    expect(cut).toMatchObject({ level: 40, signal: 'SIGINT' });
    expect(cut.msg).toMatch(/the workers stop at once as this process exits .*the store is not closed/);
    expect(await start.exited).toEqual({ code: 130, signal: null });
    // The worker shares its stdout: once that closes, the worker has exited too.
    await stdoutClosed(start);
    expect(start.lines.some(message(/^Worker: its supervisor is gone while this worker was stopping: stopping at once/))).toBe(true);
  });
});

describe.skipIf(!baseUrl)('a signal to a worker whose drain is complete, while its store closes', () => {
  it('is logged and ignored: the worker exits 0 once the close ends, not 143', async () => {
    const schema = await migratedSchema('resig_worker');
    // No job: the drain writes only to the registry. Maintenance's rescue (every lease/4) writes
    // the jobs table; held behind a SHARE lock, it keeps a pooled connection that the store's close
    // (pg's pool.end()) waits for, within SKUCAST_STORE_CLOSE_MS.
    const worker = startSkucast('worker', ['worker', '--handler', 'noop', '--concurrency', '1', '--lease-ms', '1000', '--shutdown-ms', '0'],
      { DATABASE_URL: schema.url, DATABASE_PATH: '', LOG_FORMAT: 'json', SKUCAST_STORE_CLOSE_MS: '60000' });
    await worker.waitForLine((l) => l.event === 'start', waitMs);
    await lockTable(schema, 'jobs', 'SHARE');
    await untilWaitingOnLock('a rescue to wait on the lock', '%lease expired%');
    worker.child.kill('SIGTERM');
    await worker.waitForLine((l) => l.event === 'stop' && /^Worker: stopped/.test(l.msg ?? ''), waitMs);
    worker.child.kill('SIGTERM');

    const ignored = await worker.waitForLine(message(/^Worker: SIGTERM while closing the store after its drain: ignored/), waitMs);
    expect(ignored).toMatchObject({ level: 30, event: 'signal', signal: 'SIGTERM' });
    await holder!.client.query('ROLLBACK'); // the rescue answers, the pool ends, the close with it
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.lines.some(message(/exiting without it$/))).toBe(false);
  });
});
