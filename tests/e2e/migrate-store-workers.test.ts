/**
 * `skucast migrate-store` and the SQLite file's workers (River review #5): the check for live
 * workers ran once, before the copy, so a worker that started (or woke from a stall) during it was
 * missed and kept working on the old file after the move; and a beat dated ahead of this clock
 * refused forever with no way past it. Now the workers' registry is in the copy's fingerprint, the
 * check runs again before the commit, and `--ignore-workers` skips the check for a worker known dead.
 * The worker rows are written by a raw connection, as another process would, at set points of the copy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pgDriver from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { bareDataset, newJob } from '../../src/queue/testing/store-fixtures.js';
import { migrateStore } from '../../src/stores/migrate-store.js';
import { openStore } from '../../src/stores/open-store.js';
import { createPostgresTestSchema, postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import { serverJs } from '../support/skucast-process.js';

const baseUrl = postgresTestUrl('migrate-store and live workers');

if (baseUrl) {
  describe('skucast migrate-store: workers of the SQLite file', () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    /** A SQLite file with a dataset and two jobs, a PostgreSQL schema, and a raw connection to the file (another process). */
    async function setup(label: string) {
      const dir = mkdtempSync(join(tmpdir(), 'skucast-migrate-workers-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const path = join(dir, 'queue.db');
      const store = await openStore({ databasePath: path });
      await bareDataset(store, 'ds-1');
      await store.enqueue([newJob({ datasetId: 'ds-1', sku: 'A' }), newJob({ datasetId: 'ds-1', sku: 'B' })], { batchId: 'b' });
      await store.close();
      const db = await createPostgresTestSchema(baseUrl!, label);
      cleanups.push(db.drop);
      const other = new Database(path);
      cleanups.push(() => void other.close());
      const beat = (workerId: string, at: number) => other.prepare(
        `INSERT INTO workers (worker_id, host, pid, concurrency, started_at, last_heartbeat_at, running, status)
         VALUES (?, 'box9', 777, 1, ?, ?, 0, 'running')`,
      ).run(workerId, at, at);
      const jobsIn = async (): Promise<number> => {
        const raw = new pgDriver.Client({ connectionString: baseUrl! });
        raw.on('error', () => undefined);
        await raw.connect();
        try {
          const found = await raw.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'jobs'", [db.schema]);
          if (found.rowCount === 0) return 0;
          return (await raw.query(`SELECT count(*)::int AS n FROM ${db.schema}.jobs`)).rows[0].n;
        } finally {
          await raw.end();
        }
      };
      return { path, db, beat, jobsIn };
    }

    it('refuses, committing nothing, when a worker registers during the copy (was: copied, the worker left on the old file)', async () => {
      const { path, db, beat, jobsIn } = await setup('migrate_w_during');
      let written = false;
      const copy = migrateStore({
        from: path, to: db.url,
        onProgress: (what) => {
          if (what !== 'jobs' || written) return;
          written = true;
          beat('late-worker', Date.now());
        },
      });
      await expect(copy).rejects.toThrow(/changed during the copy \(workers written since it began \(a worker of the file started, beat or stopped during the copy\)\)/);
      expect(written).toBe(true);
      expect(await jobsIn()).toBe(0);
    });

    it('checks again before the commit: a worker that registered after the first check, before the copy began, is refused', async () => {
      const { path, db, beat, jobsIn } = await setup('migrate_w_start');
      const copy = migrateStore({ from: path, to: db.url, onStart: () => void beat('between', Date.now()) });
      await expect(copy).rejects.toThrow(/^1 worker\(s\) still use .*queue\.db: between \(pid 777 on box9, last beat \d s ago\); stop them .*nothing was copied$/);
      expect(await jobsIn()).toBe(0);
    });

    it('names a beat dated ahead as clock skew and refuses it; --ignore-workers (known dead) copies', async () => {
      const { path, db, beat, jobsIn } = await setup('migrate_w_skew');
      beat('ahead', Date.now() + 300_000);
      await expect(migrateStore({ from: path, to: db.url }))
        .rejects.toThrow(/ahead \(pid 777 on box9, last beat dated 300 s ahead of this clock \(clock skew\?\)\).*--ignore-workers for one known dead/);
      expect(await jobsIn()).toBe(0);
      const run = (...args: string[]) => spawnSync(process.execPath, [serverJs, 'migrate-store', '--from', path, '--to', db.url, ...args],
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '' } });
      const refused = run();
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/clock skew/);
      const ok = run('--ignore-workers');
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(await jobsIn()).toBe(2);
    });
  });
} else {
  describe.skip('migrate-store and live workers (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
