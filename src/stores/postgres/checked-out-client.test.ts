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
      const backend = async () => (await admin.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.state;
      await pollDatabase('the first statement answered (held in the proxy)', async () => (await backend()) === 'idle');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await pollDatabase('the backend gone, its termination message sent', async () => (await backend()) === undefined);
      // The answer (ReadyForQuery) and the FATAL 57P01 behind it now reach the driver in one chunk.
      letThrough();

      expect((await first).rows).toEqual([{ one: 1 }]);
      const out = await second;
      // Was: the listener came a microtask after the handover, the driver emitted the 57P01 on a
      // client with none, and the process died of an unhandled 'error' event.
      expect((out.failure() as { code?: string } | undefined)?.code).toBe('57P01');
      out.release(); // destroyed, not pooled: it failed
      expect((await pool.query<{ two: number }>('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    });
  });
}
