import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach } from 'vitest';
import { defaultBodyLimitBytes, type ApiConfig } from '../../src/api/api-config.js';
import { buildApp } from '../../src/api/app.js';
import { redactPaths } from '../../src/cli/logger.js';
import type { Clock } from '../../src/queue/clock.js';
import type { NewJob } from '../../src/queue/job.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import type { Store } from '../../src/stores/store.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface ApiTestApp {
  app: FastifyInstance;
  store: Store;
  dir: string;
  /** Every log line the app wrote, raw JSON. */
  logs: string[];
  close(): Promise<void>;
}

/** The real app over a real SQLite store in a fresh temp file. */
export async function openApiTestApp(config: Partial<ApiConfig> = {}): Promise<ApiTestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'skucast-api-'));
  const store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
  const app = await buildApp({
    store,
    logger,
    config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes, ...config },
  });
  await app.ready();
  return {
    app, store, dir, logs,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


/**
 * A suite's way to open apps: each test's are closed after it (afterEach, registered here), so a
 * test opens as many as it needs, with any config, and never closes one itself.
 */
export function useApiTestApps(): (config?: Partial<ApiConfig>) => Promise<ApiTestApp> {
  let open: ApiTestApp[] = [];
  afterEach(async () => {
    for (const t of open) await t.close().catch(() => undefined);
    open = [];
  });
  return async (config = {}) => {
    const t = await openApiTestApp(config);
    open.push(t);
    return t;
  };
}
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    datasetId: null,
    sku: 'SKU-1',
    modelId: 'seasonal_naive',
    method: 'grid',
    reason: 'manual_trigger',
    priority: 3,
    ...overrides,
  };
}

/**
 * The real app over a fresh test database of either store (test-database.ts: a SQLite file, or a
 * PostgreSQL schema with DATABASE_URL), for suites that run on both (storeKinds); logs silent.
 * `clock`: the store's time and the routes' timers, for suites that move time (a ManualClock:
 * Idempotency-Key renewals and expiry).
 */
export async function openApiAppOn(label: string, kind: Parameters<typeof createTestDatabase>[1], options: { clock?: Clock } = {}): Promise<{ app: FastifyInstance; store: Store; db: TestDatabase; close(): Promise<void> }> {
  const db = await createTestDatabase(label, kind);
  const { clock } = options;
  const store = await db.open(clock ? { now: () => clock.now() } : {});
  await store.migrate();
  const app = await buildApp({ store, clock, logger: pino({ level: 'silent' }), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
  return {
    app, store, db,
    async close() {
      await app.close();
      await store.close();
      await db.cleanup();
    },
  };
}
