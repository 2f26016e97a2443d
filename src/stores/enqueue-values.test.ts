import { describe, expect, it } from 'vitest';
import type { NewJob } from '../queue/job.js';
import { inKeyOrder, jobInsertValues } from './enqueue-values.js';

const job = (sku: string, over: Partial<NewJob> = {}): NewJob => ({
  datasetId: 'd', sku, modelId: 'ets', method: 'grid', reason: 'initial_import', priority: 3, ...over,
});
const keys = (jobs: NewJob[]) => jobs.map((j) => `${j.datasetId ?? '-'}/${j.priority}/${j.sku}/${j.modelId}`);

describe('inKeyOrder', () => {
  it('sorts each run of one dataset and priority by SKU, stably, and keeps the runs in their order', () => {
    const batch = [
      job('b'), job('a', { modelId: 'naive' }), job('a'), job('c'),
      job('z', { priority: 1 }), job('y', { priority: 1 }),
      job('k', { datasetId: null }), job('j', { datasetId: null }),
      job('b'), job('a'),
    ];
    expect(keys(inKeyOrder(batch))).toEqual([
      'd/3/a/naive', 'd/3/a/ets', 'd/3/b/ets', 'd/3/c/ets',
      'd/1/y/ets', 'd/1/z/ets',
      '-/3/j/ets', '-/3/k/ets',
      'd/3/a/ets', 'd/3/b/ets',
    ]);
    expect(keys(batch)[0]).toBe('d/3/b/ets'); // the caller's array is left as it was
  });

  it('gives a batch already in order back as it is, not a copy', () => {
    const batch = [job('a'), job('a', { modelId: 'naive' }), job('b'), job('a', { priority: 1 }), job('c', { datasetId: 'e' })];
    expect(inKeyOrder(batch)).toBe(batch);
    expect(inKeyOrder([])).toEqual([]);
  });

  it('orders by code unit, as SQLite and PostgreSQL compare their binary keys for ASCII: digits before letters, upper before lower', () => {
    expect(inKeyOrder([job('b'), job('B'), job('10'), job('9'), job('')]).map((j) => j.sku)).toEqual(['', '10', '9', 'B', 'b']);
  });
});

describe('jobInsertValues', () => {
  it('serializes a batch of jobs without settings as {} and checks priority and attempts', () => {
    const values = jobInsertValues();
    expect(values(job('a'))).toEqual({ maxAttempts: 3, settingsText: '{}' });
    expect(values(job('b', { settings: { horizon: 6 } as NewJob['settings'] }))).toEqual({ maxAttempts: 3, settingsText: '{"horizon":6}' });
    expect(values(job('c'))).toEqual({ maxAttempts: 3, settingsText: '{}' });
    expect(() => values(job('d', { priority: 1.5 }))).toThrow(/priority/);
    expect(() => values(job('e', { maxAttempts: 0 }))).toThrow(/maxAttempts/);
  });
});
