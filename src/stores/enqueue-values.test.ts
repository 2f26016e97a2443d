import { describe, expect, it } from 'vitest';
import type { NewJob } from '../queue/job.js';
import { inKeyOrder, jobInsertValues } from './enqueue-values.js';

const job = (sku: string, over: Partial<NewJob> = {}): NewJob => ({
  datasetId: 'd', sku, modelId: 'ets', method: 'grid', reason: 'initial_import', priority: 3, ...over,
});
const keys = (jobs: NewJob[]) => jobs.map((j) => `${j.datasetId ?? '-'}/${j.priority}/${j.sku}/${j.modelId}`);

describe('inKeyOrder', () => {
  it('sorts each run of jobs alike but for SKU and model by SKU, stably, and keeps the runs in their order', () => {
    const batch = [
      job('b'), job('a', { modelId: 'naive' }), job('a'), job('c'),
      job('z', { priority: 1 }), job('y', { priority: 1 }),
      job('k', { datasetId: null }), job('j', { datasetId: null }),
      job('b'), job('a'),
    ];
    const { jobs, runs } = inKeyOrder(batch);
    expect(runs).toBe(4);
    expect(keys(jobs)).toEqual([
      'd/3/a/naive', 'd/3/a/ets', 'd/3/b/ets', 'd/3/c/ets',
      'd/1/y/ets', 'd/1/z/ets',
      '-/3/j/ets', '-/3/k/ets',
      'd/3/a/ets', 'd/3/b/ets',
    ]);
    expect(keys(batch)[0]).toBe('d/3/b/ets'); // the caller's array is left as it was
  });

  it('gives a batch already in order back as it is, not a copy', () => {
    const batch = [job('a'), job('a', { modelId: 'naive' }), job('b'), job('a', { priority: 1 }), job('c', { datasetId: 'e' })];
    expect(inKeyOrder(batch)).toEqual({ jobs: batch, runs: 3 });
    expect(inKeyOrder(batch).jobs).toBe(batch);
    expect(inKeyOrder([])).toEqual({ jobs: [], runs: 0 });
  });

  it('orders by code unit, as SQLite and PostgreSQL compare their binary keys for ASCII: digits before letters, upper before lower', () => {
    expect(inKeyOrder([job('b'), job('B'), job('10'), job('9'), job('')]).jobs.map((j) => j.sku)).toEqual(['', '10', '9', 'B', 'b']);
  });

  it('starts a run where method, reason, attempts or settings change, so a run is never interleaved with another', () => {
    const horizon = (h: number) => ({ horizon: h }) as unknown as NewJob['settings'];
    const batch = [
      job('b'), job('a'),
      job('d', { method: 'mle' }), job('c', { method: 'mle' }),
      job('f', { reason: 'manual_trigger' }), job('e', { reason: 'manual_trigger' }),
      job('h', { maxAttempts: 5 }), job('g', { maxAttempts: 5 }),
      job('j', { settings: horizon(6) }), job('i', { settings: horizon(6) }), // equal settings, two objects: one run
      job('l', { settings: horizon(7) }), job('k', { settings: horizon(7) }),
      job('n', { maxAttempts: 3 }), job('m'), // 3 is the default: one run
    ];
    const { jobs, runs } = inKeyOrder(batch);
    expect(runs).toBe(7);
    expect(jobs.map((j) => j.sku).join('')).toBe('abcdefghijklmn');
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
