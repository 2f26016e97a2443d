/**
 * `skucast backup` while a worker is busy, then `skucast restore` into a fresh system: the copy is
 * consistent (jobs pending, running and completed as of one moment), the restored system finishes
 * every job (running ones are rescued once their leases expire) and the datasets round-trip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/stores/store.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { pollUntil, startSkucast, stopAll, type SkucastProcess } from '../support/skucast-process.js';
import { createTestDatabase, wantsPostgres } from '../support/test-database.js';
import { createDailyDataset } from '../support/test-datasets.js';

let dir: string;
const opened: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skucast-backup-'));
});

afterEach(async () => {
  const leaked = await stopAll();
  for (const store of opened.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
  expect(leaked, 'processes left running by the test').toEqual([]);
});

async function open(path: string): Promise<Store> {
  const store = await openSqliteStore(path);
  await store.migrate();
  opened.push(store);
  return store;
}

/** Runs `node server.js <args>` to its end: exit code and stderr. */
async function cli(name: string, args: string[], env: Record<string, string>) {
  const proc = startSkucast(name, args, { DATABASE_URL: '', ...env });
  const { code } = await proc.exited;
  return { code, stderr: proc.stderr.join('\n'), lines: proc.lines };
}

function worker(name: string, databasePath: string, noopMs: number): SkucastProcess {
  return startSkucast(name, ['worker', '--handler', 'noop', '--noop-with-datasets', '--noop-ms', String(noopMs), '--concurrency', '2', '--lease-ms', '1500', '--worker-id', name], { DATABASE_PATH: databasePath, DATABASE_URL: '' });
}

describe('backup and restore', () => {
  it('backs up mid-run and restores into a fresh system that completes every job with the data intact', async () => {
    const livePath = join(dir, 'live', 'queue.db');
    const live = await open(livePath);
    const skus = ['A-1', 'B "quoted", comma', 'C-ünï'];
    await createDailyDataset(live, 'ds-backup', skus, 60);
    const jobs = Array.from({ length: 60 }, (_, i) => ({
      datasetId: 'ds-backup', sku: skus[i % 3], modelId: 'naive', method: `grid-${i}`, reason: 'manual_trigger' as const, priority: 3,
    }));
    await live.enqueue(jobs, { batchId: 'backup-batch', supersede: false, reuse: false });

    const busy = worker('busy', livePath, 500);
    // Mid-run: some completed, some running, some still pending.
    await pollUntil('a busy queue', async () => {
      const s = await live.summary();
      return s.completed >= 4 && s.running >= 1 && s.pending >= 4 ? true : undefined;
    }, 30_000);
    const backupFile = join(dir, 'backups', 'skucast.db');
    const backup = await cli('backup', ['backup', backupFile], { DATABASE_PATH: livePath });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const done = backup.lines.find((l) => l.event === 'backup');
    expect(done).toMatchObject({ datasets: 1, series: 3 });
    const inBackup = done!.jobs as Record<string, number>;
    console.info(`[e2e] backup taken mid-run: ${JSON.stringify(inBackup)}`);
    expect(Object.values(inBackup).reduce((a, b) => a + b, 0)).toBe(60);
    expect(inBackup.running ?? 0).toBeGreaterThan(0);
    expect(inBackup.pending ?? 0).toBeGreaterThan(0);

    // A second backup to the same file is refused; the first one is left alone.
    const again = await cli('backup-again', ['backup', backupFile], { DATABASE_PATH: livePath });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    busy.child.kill('SIGTERM');
    expect((await busy.exited).code).toBe(0);

    // Restore into a fresh system.
    const freshPath = join(dir, 'fresh', 'queue.db');
    const restored = await cli('restore', ['restore', backupFile], { DATABASE_PATH: freshPath });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const fresh = await open(freshPath);
    expect(await fresh.summary()).toMatchObject({ total: 60, running: inBackup.running, pending: inBackup.pending ?? 0 });

    // Restoring over an existing database needs --force.
    const over = await cli('restore-over', ['restore', backupFile], { DATABASE_PATH: freshPath });
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/--force/);

    const rescuer = worker('rescuer', freshPath, 20);
    await pollUntil('every restored job completed', async () => ((await fresh.summary()).completed === 60 ? true : undefined), 30_000);
    const all = (await fresh.listJobs({ limit: 100, includeResult: true })).jobs;
    expect(all.map((j) => j.status)).toEqual(Array(60).fill('completed'));
    const rescued = all.filter((j) => j.attempts === 2);
    expect(rescued).toHaveLength(inBackup.running); // the jobs running at backup time, rescued once
    for (const job of rescued) expect(job.result).toMatchObject({ jobId: job.id, workerId: 'rescuer', attempt: 2 });
    rescuer.child.kill('SIGTERM');
    expect((await rescuer.exited).code).toBe(0);

    // Data round-trips: dataset and every series, unchanged.
    expect(await fresh.getDataset('ds-backup')).toEqual(await live.getDataset('ds-backup'));
    expect(await fresh.getSeriesMany('ds-backup', skus)).toEqual(await live.getSeriesMany('ds-backup', skus));
  }, 120_000);

  it('restore refuses a file that is not a sound Skucast database, and writes nothing', async () => {
    const target = join(dir, 'target', 'queue.db');
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'sku,date,sales\nA,2024-01-01,3\n'.repeat(200));
    const notSqlite = await cli('restore-text', ['restore', text], { DATABASE_PATH: target });
    expect(notSqlite.code).toBe(1);
    expect(notSqlite.stderr).toMatch(/not a SQLite database|integrity/);

    const other = join(dir, 'other.db');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const foreign = await cli('restore-foreign', ['restore', other], { DATABASE_PATH: target });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/not a Skucast one/);

    const missing = await cli('restore-missing', ['restore', join(dir, 'nope.db')], { DATABASE_PATH: target });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(target)).toBe(false);
  }, 60_000);

  it('restore --force refuses while a worker still uses the database', async () => {
    const livePath = join(dir, 'busy', 'queue.db');
    await open(livePath);
    const backupFile = join(dir, 'b.db');
    expect((await cli('backup', ['backup', backupFile], { DATABASE_PATH: livePath })).code).toBe(0);
    const w = worker('holder', livePath, 10);
    await w.waitForLine((l) => l.event === 'start');
    const forced = await cli('restore-forced', ['restore', backupFile, '--force'], { DATABASE_PATH: livePath });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/worker\(s\) still use .*holder/);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    // Once the worker has stopped, --force replaces it.
    expect((await cli('restore-forced-2', ['restore', backupFile, '--force'], { DATABASE_PATH: livePath })).code).toBe(0);
  }, 60_000);

  const pg = wantsPostgres();
  if (!pg) console.warn('[backup] SKIPPING the PostgreSQL backup refusal case: DATABASE_URL is not a postgres:// URL');
  it.runIf(pg || process.env.CI === 'true')('backup on PostgreSQL exits 1 and points to pg_dump', async () => {
    if (!pg) throw new Error('CI=true needs DATABASE_URL=postgres://... for this case');
    const db = await createTestDatabase('backup', 'postgres');
    try {
      // node-postgres's own parameters ride along: libpq refuses them, so the printed command must not carry them.
      const url = `${db.env.DATABASE_URL}&query_timeout=60000&application_name=skucast-backup-test`;
      const res = await cli('backup-pg', ['backup', join(dir, 'pg.db')], { ...db.env, DATABASE_URL: url });
      expect(res.code).toBe(1);
      const printed = /`(pg_dump [^`]+)`/.exec(res.stderr)?.[1];
      expect(printed, res.stderr).toMatch(/^pg_dump --format=custom --schema=\S+ --file=skucast\.dump "postgres:/);
      // The command as printed runs (the password, were there one, from PGPASSWORD or ~/.pgpass).
      const dumped = spawnSync('sh', ['-c', printed as string], { cwd: dir, encoding: 'utf8' });
      expect(dumped.stderr).toBe('');
      expect(dumped.status).toBe(0);
      expect(statSync(join(dir, 'skucast.dump')).size).toBeGreaterThan(0);
    } finally {
      await db.cleanup();
    }
  }, 60_000);
});
