/**
 * plainjob (a SQLite queue on better-sqlite3) bulk enqueue, for bench-queue's comparison: the
 * same number of jobs per call as our store's bulk enqueue, into a fresh WAL file of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { log, rate } from './bench-support.js';

export async function benchPlainjobEnqueue(jobs: number, runs = 3): Promise<number> {
  const { better, defineQueue } = await import('plainjob');
  const dir = mkdtempSync(join(tmpdir(), 'skucast-plainjob-'));
  const db = new Database(join(dir, 'plainjob.db'));
  try {
    db.pragma('journal_mode = WAL');
    const queue = defineQueue({ connection: better(db), logger: { error() {}, warn() {}, info() {}, debug() {} } });
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const data = Array.from({ length: jobs }, (_, i) => ({ sku: `enq${r}-${i}`, modelId: 'naive' }));
      const t = performance.now();
      const { ids } = queue.addMany('noop', data);
      const ms = performance.now() - t;
      if (ids.length !== jobs) throw new Error(`plainjob added ${ids.length} of ${jobs}`);
      rates.push(rate(jobs, ms));
    }
    queue.close();
    log(`  plainjob enqueue: ${rates.join(', ')} jobs/s over ${runs} runs of ${jobs} (median reported)`);
    return rates.sort((a, b) => a - b)[Math.floor(runs / 2)];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
