import { EventEmitter } from 'node:events';
import net from 'node:net';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRow } from './job-rows.js';
import { runCancellable } from './cancellable-statement.js';
import { parsePostgresUrl } from './postgres-connection.js';
import { createPgContext } from './postgres-context.js';
import { releaseClaimed } from './postgres-job-writes.js';

/**
 * runCancellable against a fake pooled client and a fake server that takes cancel requests: what
 * the stop sends, and in which order the call lets go of the connection. The real server's side is
 * in postgres-claim-stop.test.ts and postgres-maintenance-stop.test.ts.
 */

/** The CancelRequest code of the frontend/backend protocol. */
const cancelRequestCode = 80877102;

/**
 * Takes connections as a server takes cancel requests: reads one message, then closes the socket
 * when `close()` is called (at once when `closeAtOnce`), as PostgreSQL does once it has signalled
 * the backend. `received` resolves with the first message's bytes.
 */
async function cancelServer(closeAtOnce = true) {
  let gotIt!: (bytes: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => { gotIt = resolve; });
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    let bytes = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (bytes.length < 8) return;
      gotIt(bytes);
      if (closeAtOnce) socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    close: () => { for (const s of sockets) s.end(); },
    stop: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** A pooled client whose statements the test answers, connected to `port` under the key (4242, 777). */
function fakeClient(port: number, answer: (config: { text: string; values: unknown[] }) => Promise<pg.QueryResult>) {
  const client = Object.assign(new EventEmitter(), {
    processID: 4242, secretKey: 777, host: '127.0.0.1', port, ssl: false,
    released: false as false | 'pooled' | 'closed',
    query: answer,
    release(error?: Error) { client.released = error ? 'closed' : 'pooled'; },
  });
  return client;
}

function contextFor(port: number, client: ReturnType<typeof fakeClient>) {
  // checkOut takes the pool's callback form (checked-out-client.ts)
  const pool = { connect: (callback: (error: undefined, c: typeof client) => void) => queueMicrotask(() => callback(undefined, client)) } as unknown as pg.Pool;
  return createPgContext(pool, parsePostgresUrl(`postgres://nobody@127.0.0.1:${port}/none`), () => 1_000);
}

const canceled = () => Object.assign(new Error('canceling statement due to user request'), { code: '57014' });
const result = (rows: unknown[]) => ({ rows, rowCount: rows.length }) as unknown as pg.QueryResult;

describe('runCancellable', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('a stop sends a CancelRequest with the connection\'s own key (no login, no pid of its own): behind PgBouncer the key is what routes it', async () => {
    const server = await cancelServer();
    stops.push(server.stop);
    const stop = new AbortController();
    const client = fakeClient(server.port, async () => {
      stop.abort(); // the stop comes while the statement runs
      await server.received; // and it runs until the server is asked to cancel it
      throw canceled();
    });
    const answer = runCancellable<unknown>(contextFor(server.port, client), stop.signal, 'cancelled', async (c) => (await c.query('SELECT 1')).rowCount);
    expect(await answer).toBe('cancelled');
    // Was a login (a startup message, then `SELECT pg_cancel_backend(4242)`), where 4242 is PgBouncer's key.
    const bytes = await server.received;
    expect([bytes.length, bytes.readInt32BE(0), bytes.readInt32BE(4), bytes.readInt32BE(8), bytes.readInt32BE(12)])
      .toEqual([16, 16, cancelRequestCode, 4242, 777]);
    expect(client.released).toBe('closed');
  });

  it('lets go of the connection only once the cancel request has been delivered, even when the statement gave up first', async () => {
    const server = await cancelServer(false);
    stops.push(server.stop);
    const stop = new AbortController();
    const client = fakeClient(server.port, () => new Promise((_resolve, reject) => {
      stop.signal.addEventListener('abort', () => reject(canceled())); // answers at once, before the cancel lands
      stop.abort(); // the stop comes while the statement runs
    }));
    let releasedWhenDelivered: unknown = 'not delivered';
    void server.received.then(() => {
      releasedWhenDelivered = client.released;
      server.close(); // delivered: the server closes the cancel's socket
    });
    const answer = runCancellable(contextFor(server.port, client), stop.signal, 0, async (c) => (await c.query('DELETE')).rowCount ?? 0);
    expect(await answer).toBe(0);
    // Was released (and the call answered) while the cancel was still on its way.
    expect(releasedWhenDelivered).toBe(false);
    expect(client.released).toBe('closed');
  });

  it('an abort between the wait for a connection and the statement sends nothing: the connection goes back to the pool, no statement, no cancel', async () => {
    const server = await cancelServer();
    stops.push(server.stop);
    const stop = new AbortController();
    // The abort lands once the connection is out but before the statement's listener is added.
    const remove = stop.signal.removeEventListener.bind(stop.signal);
    let first = true;
    stop.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      remove(...args);
      if (first) stop.abort();
      first = false;
    }) as AbortSignal['removeEventListener'];
    let ran = false;
    const client = fakeClient(server.port, async () => {
      ran = true; // was: sent after a cancel an idle backend drops, so it ran whole
      return { rowCount: 1, rows: [], command: "SELECT", oid: 0, fields: [] };
    });
    const answer = runCancellable<unknown>(contextFor(server.port, client), stop.signal, 'cancelled', async (c) => (await c.query('SELECT 1')).rowCount);
    expect(await answer).toBe('cancelled');
    expect(ran).toBe(false);
    expect(client.released).toBe('pooled');
  }, 10_000);

  it('the release of a claim that committed before the cancel landed is tried again when the cancel stops it, and the call answers as cancelled', async () => {
    const server = await cancelServer();
    stops.push(server.stop);
    const stop = new AbortController();
    const statements: Array<{ text: string; values: unknown[] }> = [];
    const claimed = [{ id: 7, lease_token: 'lt-7' }, { id: 9, lease_token: 'lt-9' }] as JobRow[];
    const client = fakeClient(server.port, async (config) => {
      statements.push(config);
      if (statements.length === 1) {
        stop.abort(); // the claim has committed; the stop comes now
        return result(claimed);
      }
      // The cancel, landing late, stops the first statement of the release.
      if (statements.length === 2) throw canceled();
      return result([]);
    });
    const ctx = contextFor(server.port, client);
    const answer = await runCancellable<JobRow[]>(ctx, stop.signal, [], async (c) => (await c.query('claim')).rows as JobRow[],
      (rows, c) => releaseClaimed(ctx, rows, c));
    expect(answer).toEqual([]);
    // One statement for the whole claim, all or nothing (was one per job), run twice.
    const releases = statements.slice(1);
    expect(releases).toHaveLength(2);
    for (const release of releases) {
      expect(release.text).toMatch(/^UPDATE jobs AS j/m);
      expect(release.values).toEqual([1_000, [7, 9], ['lt-7', 'lt-9']]);
    }
    expect(client.released).toBe('closed');
  });

  it('the release is tried again when PostgreSQL ends it to break a deadlock (40P01), as when the cancel stops it', async () => {
    const server = await cancelServer();
    stops.push(server.stop);
    const stop = new AbortController();
    const statements: string[] = [];
    const client = fakeClient(server.port, async (config) => {
      statements.push(config.text);
      if (statements.length === 1) {
        stop.abort();
        return result([{ id: 7, lease_token: 'lt-7' }, { id: 9, lease_token: 'lt-9' }] as JobRow[]);
      }
      // A dataset delete cancelling the same jobs locked them in another order.
      if (statements.length === 2) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return result([]);
    });
    const ctx = contextFor(server.port, client);
    const answer = await runCancellable<JobRow[]>(ctx, stop.signal, [], async (c) => (await c.query('claim')).rows as JobRow[],
      (rows, c) => releaseClaimed(ctx, rows, c));
    expect(answer).toEqual([]); // was: the deadlock thrown, the claim's jobs left to their lease
    expect(statements).toHaveLength(3);
  });
});
