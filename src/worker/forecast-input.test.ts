import { describe, expect, it } from 'vitest';
import type { Job } from '../queue/job.js';
import type { SeriesRecord } from '../datasets/dataset.js';
import { cleanedValues, forecastInputFor } from './forecast-input.js';

const series: SeriesRecord = {
  datasetId: 'd1', sku: 'A', attributes: {}, dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'],
  original: [10, 999, 12, 13], edits: { 1: 11 }, length: 4, volume: 46, demandClass: 'smooth', updatedAt: 0,
};

const job = (overrides: Partial<Job> = {}): Job => ({
  id: 7, batchId: 'b', datasetId: 'd1', sku: 'A', modelId: 'simple_exponential_smoothing', method: 'grid',
  reason: 'manual_trigger', priority: 3, status: 'running', progress: 0, attempts: 1, maxAttempts: 3, error: null,
  result: null, settings: {}, inputHash: null, createdAt: 0, updatedAt: 0, startedAt: 0, finishedAt: null, runAt: 0,
  workerId: 'w', ...overrides,
});

describe('forecastInputFor', () => {
  it('forecasts the cleaned series: the original with the planner\'s edits applied', () => {
    expect(cleanedValues(series)).toEqual([10, 11, 12, 13]);
    expect(series.original).toEqual([10, 999, 12, 13]); // the original is never touched
    expect(forecastInputFor(job(), series).values).toEqual([10, 11, 12, 13]);
  });

  it('trains on whole periods: the trailing provisional period is left out, so the forecast starts at it', () => {
    const toDate = { ...series, original: [10, 999, 12, 2], edits: { 1: 11 }, provisional: { '2024-04-01': { from: '2024-04-01', to: '2024-04-05', value: 2 } } };
    const input = forecastInputFor(job(), toDate);
    expect(input.values).toEqual([10, 11, 12]);
    expect(input.dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
  });

  it('uses the settings frozen in the job, and the engine defaults for the rest', () => {
    const input = forecastInputFor(job({ settings: { horizon: 6, metric: 'rmse', frequency: 'monthly' } }), series);
    expect(input).toMatchObject({
      sku: 'A', modelId: 'simple_exponential_smoothing', method: 'grid', frequency: 'monthly', dates: series.dates,
      settings: { horizon: 6, metric: 'rmse', holdout: 6, intervalLevels: [80, 95] },
    });
  });

  it('refuses settings that cannot be right, naming them for the planner', () => {
    expect(() => forecastInputFor(job({ method: 'magic' }), series)).toThrow(/tuning method 'magic'/);
    expect(() => forecastInputFor(job({ settings: { metric: 'r2' } }), series)).toThrow(/accuracy metric 'r2'/);
    expect(() => forecastInputFor(job({ settings: { frequency: 'hourly' } }), series)).toThrow(/frequency 'hourly'/);
    let caught: unknown = null;
    try {
      forecastInputFor(job({ method: 'magic' }), series);
    } catch (error) {
      caught = error;
    }
    // asserted outside the catch: a call that stopped throwing fails here instead of passing silently
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('InputDataError');
  });
});
