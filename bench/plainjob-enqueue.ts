/**
 * plainjob (a SQLite queue on better-sqlite3) bulk enqueue, for bench-queue's comparison: the
 * same number of jobs per call as our store's bulk enqueue, into a fresh WAL file of its own.
 * What each side does per job is not the same (docs/deploy.md, "Bulk enqueue against plainjob"):
 * plainjob inserts one row of 8 columns with one index, one statement per row in one transaction;
 * ours a row of 26 columns and six indexes, then reuse, supersede, the dataset turns and counters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { cpuMs, enqueueRates, log, type EnqueueRates } from './bench-support.js';

export async function benchPlainjobEnqueue(jobs: number, runs = 3): Promise<EnqueueRates> {
  const { better, defineQueue } = await import('plainjob');
  const dir = mkdtempSync(join(tmpdir(), 'skucast-plainjob-'));
  const db = new Database(join(dir, 'plainjob.db'));
  try {
    db.pragma('journal_mode = WAL');
    const queue = defineQueue({ connection: better(db), logger: { error() {}, warn() {}, info() {}, debug() {} } });
    const times: Array<[number, number]> = [];
    for (let r = 0; r < runs; r++) {
      const data = Array.from({ length: jobs }, (_, i) => ({ sku: `enq${r}-${i}`, modelId: 'naive' }));
      const t = performance.now();
      const cpu = cpuMs();
      const { ids } = queue.addMany('noop', data);
      times.push([performance.now() - t, cpuMs() - cpu]);
      if (ids.length !== jobs) throw new Error(`plainjob added ${ids.length} of ${jobs}`);
    }
    queue.close();
    const rates = enqueueRates(jobs, times);
    log(`  plainjob enqueue: ${times.map(([ms, cpu]) => `${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms)`).join(', ')} per ${jobs} jobs; median ${rates.jobs_per_s} jobs/s, ${rates.jobs_per_cpu_s} per CPU second`);
    return rates;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
