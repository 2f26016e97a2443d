/**
 * Several processes on one SQLite file, started at the same instant: they open (switching a new
 * file to WAL), migrate, enqueue and claim concurrently. Runs the compiled store from dist/
 * (tests/support/global-setup.ts builds it). No SQLITE_BUSY may reach a caller, migrations apply
 * once, and no job is claimed twice.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const storeModule = pathToFileURL(join(root, 'dist/src/stores/sqlite/sqlite-store.js')).href;

const child = `
const [path, name, startAt, perProcess, processes] = process.argv.slice(1);
const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
// all processes leave this line together (a blocking wait, not a spin: the CPU is shared)
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, Number(startAt) - Date.now()));
const store = await openSqliteStore(path);
await store.migrate();
const jobs = Array.from({ length: Number(perProcess) }, (_, i) => ({
  datasetId: 'mp', sku: name + '-' + i, modelId: 'ets', method: 'grid', reason: 'manual_trigger', priority: 1 + (i % 3),
}));
await store.enqueue(jobs, { batchId: name });
const deadline = Date.now() + 30_000;
while ((await store.summary()).total < Number(perProcess) * Number(processes)) {
  if (Date.now() > deadline) throw new Error('the other processes never enqueued');
  await new Promise((r) => setTimeout(r, 5));
}
const done = [];
for (;;) {
  const claimed = await store.claim({ workerId: name, limit: 3, leaseMs: 60_000 });
  if (claimed.length === 0) {
    const s = await store.summary();
    if (s.pending === 0) break;
    continue;
  }
  for (const c of claimed) {
    await store.progress(c, 50);
    if (!(await store.complete(c, { by: name }))) throw new Error('complete fenced for job ' + c.jobId);
    done.push(c.jobId);
  }
}
await store.close();
process.stdout.write(JSON.stringify(done));
`;

function run(args: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 50_000, // a stuck child is killed, never left running
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${args[1]} exited ${code}: ${err}`))));
  });
}

describe('SQLite store across processes', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('processes starting together on a new file migrate once and never claim the same job', async () => {
    dir = mkdtempSync(join(tmpdir(), 'skucast-mp-'));
    const path = join(dir, 'queue.db');
    const processes = 4;
    const perProcess = 300;
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      Array.from({ length: processes }, (_, i) => run([path, `p${i}`, String(startAt), String(perProcess), String(processes)])),
    );
    const all = results.flat().sort((a, b) => a - b);
    expect(all.length).toBe(processes * perProcess);
    expect(new Set(all).size).toBe(all.length);

    const db = new Database(path, { readonly: true });
    try {
      const migrationFiles = readdirSync(join(root, 'src/stores/sqlite/migrations')).filter((f) => f.endsWith('.sql'));
      expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(migrationFiles.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT status, count(*) AS n, max(attempts) AS maxAttempts FROM jobs GROUP BY status').all();
      expect(rows).toEqual([{ status: 'completed', n: processes * perProcess, maxAttempts: 1 }]);
      const counts = db.prepare("SELECT n FROM job_counts WHERE status = 'completed'").get() as { n: number };
      expect(counts.n).toBe(processes * perProcess);
    } finally {
      db.close();
    }
  });
});
