/**
 * The API over PostgreSQL while the database goes away and comes back. A TCP fault proxy stands
 * between the store and the shared server (stopping it resets every connection and refuses new
 * ones, as a dead database host does), so the shared server itself is never touched. The API
 * must answer 503 with a clear error while the database is away, write nothing, and serve again
 * by itself once it is back: no restart of the API.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBodyLimitBytes } from '../../src/api/api-config.js';
import { buildApp } from '../../src/api/app.js';
import { PgFaultProxy } from '../../src/stores/postgres/pg-fault-proxy.js';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import { pollUntil } from '../support/skucast-process.js';

const baseUrl = postgresTestUrl('API over PostgreSQL during an outage');

if (baseUrl) {
  describe('API over PostgreSQL: an outage and the recovery', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    async function start(): Promise<{ app: FastifyInstance; proxy: PgFaultProxy }> {
      const db = await createPostgresTestSchema(baseUrl!, 'api_outage');
      cleanups.push(db.drop);
      const target = new URL(baseUrl!);
      const proxy = await PgFaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.stop());
      const store = await openPostgresStore(proxy.url(db.url));
      cleanups.push(() => store.close());
      await store.migrate();
      const logger = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
      const app = await buildApp({
        store, logger, config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes },
      });
      await app.ready();
      cleanups.push(() => app.close());
      return { app, proxy };
    }

    it('answers 503 while the database is away, writes nothing, and recovers by itself', async () => {
      const { app, proxy } = await start();
      const months = Array.from({ length: 36 }, (_, i) => `${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
      const data = ['A', 'B'].flatMap((sku, s) => months.map((date, i) => ({ sku, date, sales: 20 + s * 5 + (i % 12) })));
      const upload = () => app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive'] } });
      const created = await upload();
      expect(created.statusCode).toBe(201);
      const before = await app.inject({ method: 'GET', url: '/api/jobs/status' });
      expect(before.statusCode).toBe(200);
      expect(before.json().total).toBe(2);

      await proxy.stop();
      const status = await app.inject({ method: 'GET', url: '/api/jobs/status' });
      expect(status.statusCode).toBe(503);
      expect(status.json().error).toMatch(/^database unavailable: /);
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ database: 'unreachable' });
      const refused = await upload();
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error).toMatch(/^database unavailable: .*unavailable/);

      await proxy.resume();
      // The pool opens fresh connections on its own; the first request may still meet a socket
      // that died with the outage, so allow a few tries.
      const after = await pollUntil('the API to serve again', async () => {
        const res = await app.inject({ method: 'GET', url: '/api/jobs/status' });
        return res.statusCode === 200 ? res : undefined;
      }, 10_000, 50);
      expect(after.json().total).toBe(2); // nothing was written while it refused
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      expect((await upload()).statusCode).toBe(201);
      expect((await app.inject({ method: 'GET', url: '/api/jobs/status' })).json().total).toBe(4);
    });
  });
} else {
  describe.skip('API over PostgreSQL during an outage (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
