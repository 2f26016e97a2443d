/**
 * bench:queue --procs counts the PostgreSQL connections of the worker processes by their sockets
 * (bench/process-connections.ts). It once counted every connection of the schema, the bench's own
 * store's included, and printed 3.06 per worker process for workers that held 3. Here a real
 * worker process and this test's own store share one schema: each connection must be put on the
 * process that holds it. And where the server sees a worker's connections from a port that is no
 * socket of the worker's (a proxy, NAT, a Unix socket), the bench must say it cannot tell: it
 * counted nothing for the worker then and printed "at most 0 + 0, met".
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectionsByProcess, connectionsVerdict, workerConnections, type QueryRows } from '../../bench/process-connections.js';
import { pgClient } from '../../bench/bench-support.js';
import type { Store } from '../../src/stores/store.js';
import { PgFaultProxy } from '../../src/stores/postgres/pg-fault-proxy.js';
import { postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { pollUntil, startSkucast, stopAll } from '../support/skucast-process.js';

const url = postgresTestUrl('per-process connection counts');
// Linux /proc with the sockets of this network namespace; without it the bench prints n/a.
const onLinux = existsSync('/proc/net/tcp') && existsSync(`/proc/${process.pid}/fd`);
if (!onLinux) console.warn('\n*** SKIPPED per-process connection counts: they read Linux /proc (/proc/net/tcp, /proc/<pid>/fd) ***\n');

describe.skipIf(!url || !onLinux)('connections per process (PostgreSQL, Linux /proc)', () => {
  let db: TestDatabase | null = null;
  let store: Store | null = null;
  let cleanupAdmin: (() => Promise<void>) | null = null;

  let proxy: PgFaultProxy | null = null;

  afterEach(async () => {
    const leaked = await stopAll();
    await proxy?.stop();
    proxy = null;
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
    expect(connectionsVerdict(workerConnections(held, [worker.child.pid!], process.pid))).toBe('met');
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('cannot tell, rather than met, when a worker reaches the server through something else (a proxy here; NAT, a Unix socket)', async () => {
    db = await createTestDatabase('connections', 'postgres');
    store = await db.open();
    const schema = new URL(db.env.DATABASE_URL).searchParams.get('schema')!;
    const admin: pg.Client = await pgClient(db.env.DATABASE_URL);
    cleanupAdmin = () => admin.end();
    const query: QueryRows = async <R>(text: string, values: unknown[]) => (await admin.query(text, values)).rows as R[];
    const server = new URL(db.env.DATABASE_URL);
    proxy = await PgFaultProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const env = { ...db.env, DATABASE_URL: proxy.url(db.env.DATABASE_URL) };
    const worker = startSkucast('conn-w2', ['worker', '--handler', 'noop', '--worker-id', 'conn-w2'], env);
    // its connections are the proxy's sockets, which are this process's: none is the worker's
    const listening = async () => (await query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [`skucast-listen:${schema}`]))[0].n === 1 || undefined;
    await pollUntil('the worker to listen', listening, 30_000, 50);
    const held = (await connectionsByProcess(query, schema, [worker.child.pid!, process.pid]))!;
    const figures = workerConnections(held, [worker.child.pid!], process.pid);
    expect(figures.total).toBe(0);
    expect(figures.workersWithoutListen).toBe(1);
    expect(connectionsVerdict(figures)).toBe('cannot tell'); // it read "at most 0 + 0, met"
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });
});
