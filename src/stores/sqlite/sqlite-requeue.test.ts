import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { bareDataset, newJob } from '../../queue/testing/store-fixtures.js';
import { sqliteScratch } from './testing/sqlite-scratch.js';

/**
 * A retry (requeue) moves its datasets' marks (retry_marks, migration 043) in SQL: the requeued
 * rows are not read into the process to find their datasets (a retry of 100,000 jobs read 100,000
 * rows inside the write transaction). The marks themselves: the store conformance suite.
 */
describe('SQLite requeue', () => {
  const scratch = sqliteScratch('skucast-sqlite-requeue-');

  it('a retry of many jobs across two datasets reads none of them back, and draws one mark for both', async () => {
    const store = await scratch.open();
    await bareDataset(store, 'rq-a');
    await bareDataset(store, 'rq-b');
    const n = 200;
    const enqueued = await store.enqueue(
      Array.from({ length: n }, (_, i) => newJob({ datasetId: i % 2 ? 'rq-a' : 'rq-b', sku: `S${i}` })), { batchId: 'rq' });
    expect(await store.cancel({ batchId: 'rq' })).toBe(n);
    // Every row a statement hands back to JavaScript while the retry runs.
    const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<'all' | 'get', (...a: unknown[]) => unknown>;
    const originalAll = statement.all;
    const originalGet = statement.get;
    let rowsRead = 0;
    const all = vi.spyOn(statement, 'all');
    const get = vi.spyOn(statement, 'get');
    all.mockImplementation(function (this: unknown, ...args: unknown[]) {
      const rows = Reflect.apply(originalAll, this, args) as unknown[];
      rowsRead += rows.length;
      return rows;
    });
    get.mockImplementation(function (this: unknown, ...args: unknown[]) {
      const row = Reflect.apply(originalGet, this, args);
      if (row !== undefined) rowsRead += 1;
      return row;
    });
    let requeued: number;
    try {
      requeued = await store.requeue({ batchId: 'rq', status: ['cancelled'] });
    } finally {
      all.mockRestore();
      get.mockRestore();
    }
    expect(requeued).toBe(n);
    expect(rowsRead).toBeLessThan(5); // a dataset's ref, not a row per job
    const [a, b] = await Promise.all([store.datasetProgress('rq-a'), store.datasetProgress('rq-b')]);
    expect(a.mark).toBe(enqueued.lastId! + 1);
    expect(b.mark).toBe(a.mark);
  });
});
