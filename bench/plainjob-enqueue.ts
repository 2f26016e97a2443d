/**
 * plainjob (a SQLite queue on better-sqlite3) bulk enqueue, for bench-queue's comparison: the
 * same number of jobs per call as our store's bulk enqueue, into a fresh WAL file of its own.
 * What each side does per job is not the same (docs/queue-measurements.md, "Bulk enqueue against plainjob"):
 * plainjob inserts one row of 8 columns with one index, one statement per row in one transaction;
 * ours a row of 26 columns and six indexes, then reuse, supersede, the dataset turns and counters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { cpuMs, timedCheckpoint } from './bench-support.js';

export interface PlainjobEnqueue {
  /** One addMany of `jobs` jobs (SKUs `${prefix}-${i}`, the data our bench's jobs carry); its [wall ms, CPU ms]. */
  addBatch(prefix: string, datasetId: string): [number, number];
  /** The time of a checkpoint of everything left in the WAL (`PRAGMA wal_checkpoint(TRUNCATE)`). */
  checkpoint(): number;
  close(): void;
}

export async function openPlainjobEnqueue(jobs: number): Promise<PlainjobEnqueue> {
  const { better, defineQueue } = await import('plainjob');
  const dir = mkdtempSync(join(tmpdir(), 'skucast-plainjob-'));
  const db = new Database(join(dir, 'plainjob.db'));
  db.pragma('journal_mode = WAL');
  const queue = defineQueue({ connection: better(db), logger: { error() {}, warn() {}, info() {}, debug() {} } });
  return {
    addBatch(prefix, datasetId) {
      const data = Array.from({ length: jobs }, (_, i) => ({ datasetId, sku: `${prefix}-${i}`, modelId: 'naive' }));
      const t = performance.now();
      const cpu = cpuMs();
      const { ids } = queue.addMany('noop', data);
      const time: [number, number] = [performance.now() - t, cpuMs() - cpu];
      if (ids.length !== jobs) throw new Error(`plainjob added ${ids.length} of ${jobs}`);
      return time;
    },
    checkpoint: () => timedCheckpoint(db),
    close() {
      queue.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
