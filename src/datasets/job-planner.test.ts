import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { defaultDatasetSettings } from './dataset-settings.js';
import { effectiveHoldout, inputHash, planJobs } from './job-planner.js';

const dataset: Pick<Dataset, 'id' | 'frequency' | 'settings'> = {
  id: 'ds_1',
  frequency: 'monthly',
  settings: { ...defaultDatasetSettings('monthly'), models: ['seasonal_naive', 'simple_exponential_smoothing'] },
};
const dates = Array.from({ length: 24 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const series = (sku: string, n = 24, edits: Record<number, number> = {}) => ({ sku, dates: dates.slice(0, n), original: dates.slice(0, n).map((_, i) => 10 + i), edits });

describe('planJobs', () => {
  it('plans one job per SKU x model with the reason, its priority and frozen settings', () => {
    const { jobs, skipped } = planJobs({ dataset, series: [series('A'), series('B')], models: dataset.settings.models, method: 'grid', reason: 'manual_edit_data_cleaning' });
    expect(skipped).toEqual([]);
    expect(jobs.map((j) => `${j.sku}/${j.modelId}`)).toEqual(['A/seasonal_naive', 'A/simple_exponential_smoothing', 'B/seasonal_naive', 'B/simple_exponential_smoothing']);
    expect(jobs.every((j) => j.priority === 1 && j.reason === 'manual_edit_data_cleaning' && j.datasetId === 'ds_1' && j.method === 'grid')).toBe(true);
    expect(jobs[0].settings).toEqual({ horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80, 95], frequency: 'monthly' });
  });

  it('plans a SKU too short for the holdout with the largest holdout its history allows, keyed by it', () => {
    // 8 months with a holdout of 6 (which needs 10): held out 4, fitted on 4.
    const { jobs, skipped } = planJobs({ dataset, series: [series('A'), series('S', 8)], models: dataset.settings.models, method: 'grid', reason: 'dataset_upload' });
    expect(skipped).toEqual([]);
    expect(jobs.map((j) => `${j.sku}/${j.modelId}/${j.settings!.holdout}`)).toEqual([
      'A/seasonal_naive/6', 'A/simple_exponential_smoothing/6', 'S/seasonal_naive/4', 'S/simple_exponential_smoothing/4',
    ]);
    const s = series('S', 8);
    const plan = (holdout: number) => planJobs({ dataset, series: [s], models: ['croston'], method: 'grid', reason: 'settings_change', settings: { holdout } }).jobs[0];
    const at = (holdout: number) => inputHash('S', 'croston', 'grid', { horizon: 12, holdout, metric: 'mae', intervalLevels: [80, 95], frequency: 'monthly' }, s.dates, s.original);
    expect(plan(6).inputHash).toBe(at(4));
    expect(at(4)).not.toBe(at(6));
    expect(plan(2).inputHash).toBe(at(2));
    // Any dataset holdout of 4 or more gives this SKU the same job, so its result is reused.
    expect(plan(5).inputHash).toBe(plan(6).inputHash);
    expect(effectiveHoldout(4, { holdout: 6 })).toBe(0);
    expect(effectiveHoldout(30, { holdout: 6 })).toBe(6);
  });

  it('skips SKUs shorter than 4 points, and models that cannot fit the history, one entry per job, with the reason', () => {
    const { jobs, skipped } = planJobs({ dataset, series: [series('A'), series('S', 2)], models: dataset.settings.models, method: 'grid', reason: 'dataset_upload' });
    expect(jobs.map((j) => j.sku)).toEqual(['A', 'A']);
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatchObject({ sku: 'S', modelId: 'seasonal_naive' });
    expect(skipped[0].reason).toMatch(/2 periods is too short: needs at least 4/);
    // 4 points: holdout 0, but ensemble needs 6 whatever the holdout.
    const four = planJobs({ dataset, series: [series('F', 4)], models: ['ensemble', 'naive'], method: 'grid', reason: 'dataset_upload' });
    expect(four.jobs.map((j) => `${j.modelId}/${j.settings!.holdout}`)).toEqual(['naive/0']);
    expect(four.skipped).toEqual([{ sku: 'F', modelId: 'ensemble', reason: 'ensemble needs at least 6 periods, the history has 4' }]);
  });

  it('keys reuse on everything a result depends on, and nothing else', () => {
    const plan = (s = series('A'), settings = {}, method = 'grid') =>
      planJobs({ dataset, series: [s], models: ['seasonal_naive'], method, reason: 'dataset_upload', settings }).jobs[0].inputHash;
    const base = plan();
    expect(base).toBe(plan());
    expect(planJobs({ dataset: { ...dataset, id: 'other' }, series: [series('A')], models: ['seasonal_naive'], method: 'grid', reason: 'settings_change' }).jobs[0].inputHash).toBe(base);
    expect(plan(series('A', 24, { 3: 99 }))).not.toBe(base);
    expect(plan(series('A', 24, { 3: 13 }))).toBe(base); // an edit to the value it already had
    expect(plan(undefined, { horizon: 6 })).not.toBe(base);
    expect(plan(undefined, { intervalLevels: [90] })).not.toBe(base);
    expect(plan(undefined, {}, 'mle')).not.toBe(base);
    expect(plan({ ...series('A'), sku: 'B' })).not.toBe(base);
    const s = series('A');
    expect(inputHash('A', 'seasonal_naive', 'grid', { horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80, 95], frequency: 'monthly' }, s.dates, s.original)).toBe(base);
  });

  it('keys on the history the model trains on: a trailing provisional period (the month to date) is not in it', () => {
    const plan = (s: ReturnType<typeof series> & { provisional?: Record<string, { from: string; to: string; value: number }> }) =>
      planJobs({ dataset, series: [s], models: ['seasonal_naive'], method: 'grid', reason: 'dataset_upload' }).jobs[0].inputHash;
    const whole = series('A', 23);
    const toDate = (value: number) => {
      const s = series('A', 24);
      s.original[23] = value;
      return { ...s, provisional: { [s.dates[23]]: { from: s.dates[23], to: s.dates[23].replace(/01$/, '05'), value } } };
    };
    // The same input as the history through the last whole month, however many days the month to date has.
    expect(plan(toDate(5))).toBe(plan(whole));
    expect(plan(toDate(9))).toBe(plan(whole));
    // The whole month, once it arrives, is new input.
    expect(plan(series('A', 24))).not.toBe(plan(whole));
  });
});

describe('planJobs: jobs that may borrow the dataset\'s pooled yearly profile', () => {
  it('a seasonal model on less than two years gets no input hash (never reused: the profile depends on other SKUs); the rest keep theirs', () => {
    const models = ['ets', 'seasonal_naive', 'naive', 'croston'];
    const plan = (n: number) => Object.fromEntries(planJobs({ dataset, series: [series('A', n)], models, method: 'grid', reason: 'dataset_upload' }).jobs.map((j) => [j.modelId, j.inputHash]));
    const short = plan(23);
    expect(short.ets).toBeNull();
    expect(short.seasonal_naive).toBeNull();
    expect(short.naive).toMatch(/^[0-9a-f]{64}$/); // non-seasonal: the SKU's own history is all it uses
    expect(short.croston).toMatch(/^[0-9a-f]{64}$/); // intermittent: no season to restore
    expect(Object.values(plan(24)).every((h) => typeof h === 'string')).toBe(true);
    const quarterly = planJobs({ dataset: { ...dataset, frequency: 'quarterly' }, series: [series('A', 12)], models: ['ets'], method: 'grid', reason: 'dataset_upload' }).jobs;
    expect(quarterly[0].inputHash).toMatch(/^[0-9a-f]{64}$/); // 12 quarters: three years of its own
  });
});
