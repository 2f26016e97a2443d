import pg from 'pg';
import { expect } from 'vitest';
import type { DatasetSettings, ImportReport } from '../../datasets/dataset.js';
import type { NewSnapshot } from '../../datasets/planning-cycle-store.js';
import { encodeSnapshotValues } from '../../datasets/snapshot-values.js';
import { newJob, waitFor } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import { parsePostgresUrl, poolConfig } from './postgres-connection.js';
import { createPgContext, type PgContext } from './postgres-context.js';
import { openPostgresStore } from './postgres-store.js';
import { pollDatabase } from './poll-database.js';
import { createPostgresTestSchema, type PostgresTestSchema } from './postgres-test-schema.js';

/**
 * What the PostgreSQL lock tests share: sessions of their own that hold a lock while a store's
 * call queues behind it, and the ways they see it waiting. Everything opened goes on `cleanups`,
 * which the test file runs in reverse after each test.
 */
export type Cleanups = Array<() => Promise<void>>;

/** A session on `baseUrl`; its socket errors (a terminated backend) do not crash the run. */
export async function rawSession(baseUrl: string, cleanups: Cleanups, applicationName?: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: baseUrl, ...(applicationName ? { application_name: applicationName } : {}) });
  client.on('error', () => undefined);
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** A session in `db`'s schema with a transaction begun: the locks it takes are held until its COMMIT or ROLLBACK. */
export async function openTransaction(baseUrl: string, cleanups: Cleanups, db: { schema: string }, applicationName: string): Promise<pg.Client> {
  const client = await rawSession(baseUrl, cleanups, applicationName);
  await client.query(`SET search_path TO ${db.schema}`);
  await client.query('BEGIN');
  return client;
}

/** Another enqueue, caught holding the schema's enqueue lock (the advisory lock every enqueue takes). */
export async function holdEnqueueLock(baseUrl: string, cleanups: Cleanups, db: { schema: string }): Promise<pg.Client> {
  const enqueuer = await openTransaction(baseUrl, cleanups, db, 'locking-enqueuer');
  await enqueuer.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.enqueue'))");
  return enqueuer;
}

/**
 * A session holding dataset 'd''s row (as an append does), and `waitFor(n, what)`: until `n`
 * statements of this schema wait for that row. The first in line waits for the holder's
 * transaction, the ones behind it for the row's tuple lock (on this schema's table).
 */
export async function holdDatasetRow(baseUrl: string, cleanups: Cleanups, db: { schema: string }, applicationName: string) {
  const holder = await openTransaction(baseUrl, cleanups, db, applicationName);
  await holder.query(`SELECT id FROM datasets WHERE id = 'd' FOR NO KEY UPDATE`);
  const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const waiting = async () => (await holder.query<{ n: number }>(`
    SELECT count(*)::int AS n FROM pg_locks
     WHERE NOT granted
       AND ((locktype = 'transactionid' AND $1 = ANY (pg_blocking_pids(pid)))
         OR (locktype = 'tuple' AND relation = '${db.schema}.datasets'::regclass))`, [holderPid])).rows[0].n;
  const waitFor = (n: number, what: string) => pollDatabase(what, async () => (await waiting()) >= n, { tries: 1_000, pauseMs: 10 });
  return { holder, waitFor };
}

/** Until `check()`, asked every 5 ms on the side, last answered true, or `done()`; 10 s at most. */
export async function untilSeen(what: string, check: () => Promise<boolean>, done: () => boolean = () => false): Promise<void> {
  let seen = false;
  const poll = setInterval(() => { void check().then((v) => { seen = v; }); }, 5);
  try {
    await waitFor(() => seen || done(), 10_000, what);
  } finally {
    clearInterval(poll);
  }
}

/** A pool of its own on `url` and a PgContext over it, for a test that wraps the context's `sql`. */
export function poolContext(url: string, cleanups: Cleanups): PgContext {
  const settings = parsePostgresUrl(url);
  const pool = new pg.Pool(poolConfig(settings));
  cleanups.push(() => pool.end());
  return createPgContext(pool, settings, Date.now);
}

/**
 * A store of one pooled connection and its server process's pid, found as the one backend of the
 * schema's application_name that opening it added: what a test asks pg_stat_activity about.
 */
export async function openOneConnection(db: { url: string; schema: string }, watcher: pg.Client, cleanups: Cleanups) {
  const pids = async () => (await watcher.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`skucast:${db.schema}`])).rows.map((r) => r.pid);
  const before = new Set(await pids());
  const store = await openPostgresStore(`${db.url}&connection_limit=1`);
  cleanups.push(() => store.close());
  const added = (await pids()).filter((pid) => !before.has(pid));
  expect(added).toHaveLength(1);
  return { store, pid: added[0] };
}

/** Whether each of `pids` waits on a lock another transaction holds. */
export const waitingOnLocks = async (watcher: pg.Client, pids: number[]) => (await watcher.query(
  `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = ANY ($1::integer[])`, [pids])).rowCount === pids.length;

/** 'ok' for a call that succeeded, else its error's message: what a test expects to be 'ok'. */
export const outcome = (result: PromiseSettledResult<unknown>) =>
  (result.status === 'rejected' ? String((result.reason as Error).message) : 'ok');

const rowSettings: DatasetSettings = {
  horizon: 3, holdout: 2, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const rowReport: ImportReport = {
  rows: 4, skus: 1, dateRange: { start: '2024-01-01', end: '2024-04-01' }, frequency: 'monthly', format: 'long',
  rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
};

/** A migrated store in a schema of its own, holding dataset 'd' with one monthly SKU 'A' (January to April 2024). */
export async function storeWithDataset(baseUrl: string, cleanups: Cleanups, prefix: string): Promise<{ db: PostgresTestSchema; store: Store }> {
  const db = await createPostgresTestSchema(baseUrl, prefix);
  cleanups.push(db.drop);
  const store = await openPostgresStore(db.url);
  cleanups.push(() => store.close());
  await store.migrate();
  await store.createDataset({ id: 'd', name: 'd', frequency: 'monthly', settings: rowSettings, report: rowReport }, [{
    sku: 'A', dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], original: [1, 2, 3, 4], edits: {},
    length: 4, volume: 10, demandClass: 'smooth',
  }], null, null);
  return { db, store };
}

/** A snapshot of dataset 'd' at `mark`, forecasting May to July 2024, and its one item (SKU A). */
export const snapshotOf = (mark: number): NewSnapshot => ({
  datasetId: 'd', mark, cause: 'manual', historyEnd: '2024-04-01', forecastStart: '2024-05-01', forecastEnd: '2024-07-01',
  skuCount: 1, skusWithForecast: 1, portfolio: { wape: 10, bias: 0 },
});
export const snapshotItems = [{ sku: 'A', modelId: 'ets', selectedBy: 'metric' as const, error: 1, dates: ['2024-05-01', '2024-06-01', '2024-07-01'],
  values: encodeSnapshotValues({ mean: [1, 2, 3], lower80: null, upper80: null, lower95: null, upper95: null }) }];

/** One completed run of A's job: its id is the mark a snapshot of it takes. */
export async function completedRun(store: Store, batchId: string): Promise<number> {
  const { lastId } = await store.enqueue([newJob({ datasetId: 'd', sku: 'A' })], { batchId, reuse: false });
  for (const c of await store.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })) await store.complete(c, { ok: true });
  return lastId!;
}
