/**
 * bench:queue --procs counts the PostgreSQL connections of the worker processes by their sockets
 * (bench/process-connections.ts). It once counted every connection of the schema, the bench's own
 * store's included, and printed 3.06 per worker process for workers that held 3. Here a real
 * worker process and this test's own store share one schema: each connection must be put on the
 * process that holds it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectionsByProcess, type QueryRows } from '../../bench/process-connections.js';
import { pgClient } from '../../bench/bench-support.js';
import type { Store } from '../../src/stores/store.js';
import { postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { pollUntil, startSkucast, stopAll } from '../support/skucast-process.js';

const url = postgresTestUrl('per-process connection counts');
const onLinux = process.platform === 'linux';
if (!onLinux) console.warn('\n*** SKIPPED per-process connection counts: they read Linux /proc ***\n');

describe.skipIf(!url || !onLinux)('connections per process (PostgreSQL, Linux /proc)', () => {
  let db: TestDatabase | null = null;
  let store: Store | null = null;
  let cleanupAdmin: (() => Promise<void>) | null = null;

  afterEach(async () => {
    const leaked = await stopAll();
    await cleanupAdmin?.();
    await store?.close();
    await db?.cleanup();
    expect(leaked, 'processes left running by the test').toEqual([]);
  });

  it("puts a worker process's pooled and LISTEN connections on it, and this process's own on this process", async () => {
    db = await createTestDatabase('connections', 'postgres');
    store = await db.open();
    const schema = new URL(db.env.DATABASE_URL).searchParams.get('schema')!;
    const admin: pg.Client = await pgClient(db.env.DATABASE_URL);
    cleanupAdmin = () => admin.end();
    const query: QueryRows = async <R>(text: string, values: unknown[]) => (await admin.query(text, values)).rows as R[];
    const worker = startSkucast('conn-w1', ['worker', '--handler', 'noop', '--worker-id', 'conn-w1'], db.env);
    await pollUntil('the worker to listen', async () => ((await connectionsByProcess(query, schema, [worker.child.pid!]))?.listen.size === 1 ? true : undefined), 30_000, 50);
    // This process's pool opens several connections at once (its default allows 10).
    const busy = Promise.all(Array.from({ length: 4 }, () => store!.summary()));
    await busy;
    const held = (await connectionsByProcess(query, schema, [worker.child.pid!, process.pid]))!;
    const ours = held.pool.get(process.pid) ?? 0;
    expect(ours).toBeGreaterThanOrEqual(1);
    expect(held.listen.get(process.pid)).toBeUndefined(); // this store never watched
    expect(held.listen.get(worker.child.pid!)).toBe(1);
    const workerPool = held.pool.get(worker.child.pid!) ?? 0;
    expect(workerPool).toBeGreaterThanOrEqual(1); // its heartbeat went through the pool
    expect(workerPool).toBeLessThanOrEqual(2);
    expect(held.others).toBe(0);
    // Asked about the worker alone, this process's connections are someone else's.
    const workerOnly = (await connectionsByProcess(query, schema, [worker.child.pid!]))!;
    expect(workerOnly.pool.get(process.pid)).toBeUndefined();
    expect(workerOnly.others).toBe(ours);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });
});
