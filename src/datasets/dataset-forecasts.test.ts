/**
 * forecastItem on a SKU that stopped selling (src/forecasting's inactive-demand.ts): the item says
 * so (inactive), by the metric's choice and by a planner's pinned model, whose sentence was just
 * "chosen by the planner" (a pinned croston showed 0 with bands of 0 and no reason).
 */
import { describe, expect, it } from 'vitest';
import { defaultForecastSettings, forecastSku } from '../forecasting/index.js';
import type { Dataset, ModelResult } from './dataset.js';
import { forecastItem } from './dataset-forecasts.js';

const STOPPED = [70, 62, 48, 36, 22, 18, 10, 18, 28, 40, 58, 62, 62, 67, 50, 39, 29, 18, 13, 16, 26, 47, 68, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const SELLING = STOPPED.map((v, i) => (i < 24 ? v : 40 + (i % 3)));
const models = ['ets', 'croston'];
const dataset = { settings: { ...defaultForecastSettings, models, method: 'grid' } } as unknown as Pick<Dataset, 'settings'>;

function results(values: number[]): ModelResult[] {
  const dates = values.map((_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  return models.map((modelId, k) => ({
    sku: 'A', modelId, method: 'grid', jobId: k + 1, finishedAt: 0,
    result: forecastSku({ sku: 'A', values, dates, frequency: 'monthly', modelId, method: 'grid', settings: { ...defaultForecastSettings } }),
  }));
}

describe('forecastItem of a SKU read as stopped', () => {
  it('carries inactive, by the metric\'s choice', () => {
    const item = forecastItem('A', dataset, results(STOPPED), undefined);
    expect(item.inactive).toMatchObject({ zeros: 12, sales: 24, periods: 24 });
    expect(item.selection?.how).toMatch(/^no demand in the last 12 months/);
  });

  it('says why the forecast is 0 when the planner pinned a model', () => {
    const item = forecastItem('A', dataset, results(STOPPED), 'croston');
    expect(item.selectedBy).toBe('override');
    expect(item.forecast?.mean.every((v) => v === 0)).toBe(true);
    expect(item.inactive).toMatchObject({ zeros: 12 });
    expect(item.selection?.how).toMatch(/^chosen by the planner; no demand in the last 12 months, after sales in 24 of the 24 months before .*forecast as inactive, 0 with no spread$/);
  });

  it('is null for a SKU still selling, and the planner\'s sentence stays as it was', () => {
    const item = forecastItem('A', dataset, results(SELLING), 'croston');
    expect(item.inactive).toBeNull();
    expect(item.selection?.how).toBe('chosen by the planner');
  });
});
