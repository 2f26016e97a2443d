import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { pollUntil, startSkucast, stopAll } from '../support/skucast-process.js';

/**
 * Real `skucast worker` and `skucast api` processes on one schema: pg_stat_activity tells their
 * backends apart by application_name (`skucast:worker:<id>:<schema>`, `skucast:api:<schema>`),
 * where every process connected as `skucast:<schema>` (an operator had to map client ports with
 * `ss -tnp` to terminate one worker's backends). The LISTEN connection keeps its name: targeted
 * wakes find it by it.
 */
const url = postgresTestUrl('application_name per process');

describe.skipIf(!url)('application_name of each process (PostgreSQL)', () => {
  let db: TestDatabase | null = null;
  let admin: pg.Client | null = null;

  afterEach(async () => {
    const leaked = await stopAll();
    await admin?.end();
    admin = null;
    await db?.cleanup();
    db = null;
    expect(leaked, 'processes left running by the test').toEqual([]);
  });

  it('names the role and the worker id, keeping the schema', async () => {
    db = await createTestDatabase('appnames', 'postgres');
    const migrated = await db.open();
    await migrated.close();
    const schema = new URL(db.env.DATABASE_URL).searchParams.get('schema')!;
    admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    const names = async () => new Set((await admin!.query<{ name: string }>(
      'SELECT application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1',
      [`%${schema}`])).rows.map((r) => r.name));
    const worker = startSkucast('w', ['worker', '--handler', 'noop', '--worker-id', 'hostA'], { ...db.env, LOG_FORMAT: 'json' });
    const api = startSkucast('api', ['api', '--port', '0'], { ...db.env, LOG_FORMAT: 'json' });
    await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''), 30_000);
    const expected = [`skucast:worker:hostA:${schema}`, `skucast-listen:${schema}`, `skucast:api:${schema}`];
    await pollUntil('each process connected under its name', async () => {
      const seen = await names();
      return expected.every((n) => seen.has(n)) || undefined;
    }, 30_000, 100);
    // Nobody left under the old anonymous name.
    expect([...await names()]).not.toContain(`skucast:${schema}`);
    for (const p of [worker, api]) p.child.kill('SIGTERM');
    expect([(await worker.exited).code, (await api.exited).code]).toEqual([0, 0]);
  });
});
