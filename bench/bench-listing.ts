/**
 * The queue view's listing on a large SQLite queue: milliseconds per page (50 jobs, 4 pages each)
 * for the unfiltered list, ?status=failed, ?status=completed, ?datasetId= and both, with most jobs
 * finished (1% failed). Usage: node dist/bench/bench-listing.js [jobs=200000] [path]
 * Runs on an existing file when the path is given and already holds jobs.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListJobsQuery } from '../src/queue/job.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';

const n = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'skucast-bench-listing-'));
const path = process.argv[3] ?? join(dir, 'listing.db');
const store = await openSqliteStore(path);
await store.migrate();
if ((await store.summary()).total === 0) {
  for (let b = 0; b * 10_000 < n; b++) {
    await store.enqueue(Array.from({ length: Math.min(10_000, n - b * 10_000) }, (_, i) => ({
      datasetId: `ds-${b % 20}`, sku: `S${b}-${i}`, modelId: 'naive', method: 'grid', reason: 'manual_trigger' as const, priority: 3,
    })), { batchId: `b${b}`, supersede: false, reuse: false });
  }
  const db = new Database(path);
  db.exec(`UPDATE jobs SET status = CASE WHEN id % 100 = 0 THEN 'failed' ELSE 'completed' END, finished_at = id, progress = 100
            WHERE id <= ${n - 100}`);
  db.exec('ANALYZE');
  db.close();
}
const cases: Array<[string, Partial<ListJobsQuery>]> = [
  ['all', {}], ['status=failed', { status: ['failed'] }], ['status=completed', { status: ['completed'] }],
  ['datasetId', { datasetId: 'ds-3' }], ['datasetId+failed', { datasetId: 'ds-3', status: ['failed'] }],
];
console.log(`listing ${n} jobs (SQLite, ${path})`);
for (const [name, q] of cases) {
  // The best of 5 rounds of 4 pages: the machine is shared, the minimum is the listing's own cost.
  let best = Infinity;
  let rows = 0;
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    let cursor: string | undefined;
    rows = 0;
    for (let i = 0; i < 4; i++) {
      const page = await store.listJobs({ ...q, limit: 50, cursor } as ListJobsQuery);
      rows += page.jobs.length;
      cursor = page.nextCursor ?? undefined;
    }
    best = Math.min(best, (performance.now() - t) / 4);
  }
  console.log(`${name.padEnd(18)} ${best.toFixed(2)} ms/page (${rows} rows, best of 5)`);
}
await store.close();
if (!process.argv[3]) rmSync(dir, { recursive: true, force: true });
