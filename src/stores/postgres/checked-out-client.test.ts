import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOut } from './checked-out-client.js';
import { PgFaultProxy } from './pg-fault-proxy.js';
import { pollDatabase } from './poll-database.js';
import { postgresTestUrl } from './postgres-test-schema.js';

const baseUrl = postgresTestUrl('checkOut (a pooled client handed over as its server terminates it)');

if (baseUrl) {
  describe('checkOut', () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    it('keeps the termination the server sent right behind the answer that freed the client: the caller sees it, the process does not crash', async () => {
      const target = new URL(baseUrl);
      const proxy = await PgFaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.stop());
      const pool = new pg.Pool({ connectionString: proxy.url(baseUrl), max: 1 });
      pool.on('error', () => undefined);
      cleanups.push(() => pool.end());
      const admin = new pg.Client({ connectionString: baseUrl });
      admin.on('error', () => undefined);
      await admin.connect();
      cleanups.push(() => admin.end());

      const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const letThrough = proxy.holdReplies();
      const first = pool.query<{ one: number }>('SELECT 1 AS one');
      const second = checkOut(pool); // waits: the pool's one client is busy with the first
      const backend = async () => (await admin.query<{ state: string; query: string }>(
        'SELECT state, query FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0];
      // The backend was already idle after the pid query: wait for it to be idle after SELECT 1.
      await pollDatabase('the first statement answered (held in the proxy)', async () => {
        const b = await backend();
        return b?.state === 'idle' && b.query === 'SELECT 1 AS one';
      });
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await pollDatabase('the backend gone', async () => (await backend()) === undefined);
      // Gone from pg_stat_activity does not mean its FATAL has reached the proxy yet.
      await proxy.whenHeld(([bytes]) => /SFATAL\0.*C57P01\0/s.test(lastMessage(bytes) ?? ''));
      // The answer (ReadyForQuery) and the FATAL 57P01 behind it now reach the driver in one chunk.
      letThrough();

      expect((await first).rows).toEqual([{ one: 1 }]);
      const out = await second;
      let released = false;
      const release = () => {
        if (!released) out.release();
        released = true;
      };
      cleanups.push(async () => release()); // else a failed assertion leaves it out, and pool.end() waits for it
      // Was: the listener came a microtask after the handover, the driver emitted the 57P01 on a
      // client with none, and the process died of an unhandled 'error' event.
      expect((out.failure() as { code?: string } | undefined)?.code).toBe('57P01');
      release(); // destroyed, not pooled: it failed
      expect((await pool.query<{ two: number }>('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    });
  });
}

/**
 * The last whole protocol message in `bytes` when it is an ErrorResponse ('E'), as text; undefined
 * when the bytes end in another message or part of one.
 */
function lastMessage(bytes: Buffer | undefined): string | undefined {
  let at = 0;
  let last: Buffer | undefined;
  while (bytes && at + 5 <= bytes.length) {
    const end = at + 1 + bytes.readInt32BE(at + 1);
    if (end > bytes.length) return undefined;
    last = bytes.subarray(at, end);
    at = end;
  }
  if (!bytes || at !== bytes.length || last?.[0] !== 'E'.charCodeAt(0)) return undefined;
  return last.toString('latin1');
}
