/**
 * A model's warnings in the forecast listing (ModelSummary.warnings): the planner's notes each run
 * keeps in its result (a season shrunk toward none, a shorter holdout) reached no response, so the
 * web app could not show them. A stored result without the field (an older engine's) gives [].
 */
import { describe, expect, it } from 'vitest';
import { defaultForecastSettings, forecastSku } from '../forecasting/index.js';
import type { Dataset, ModelResult } from './dataset.js';
import { forecastItem } from './dataset-forecasts.js';

const VALUES = [50, 52, 49, 55, 53, 51, 56, 54, 52, 57, 55, 53, 58, 56, 54, 59, 57, 55, 60, 58, 56, 61, 59, 57];
const DATES = VALUES.map((_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const models = ['naive', 'mean'];
const dataset = { settings: { ...defaultForecastSettings, models, method: 'grid' } } as unknown as Pick<Dataset, 'settings'>;
const SHRUNK = 'seasonal pattern (every 12 periods) reduced to 63% of its estimated size: the rest is estimated to be noise';

/** A real result of each model, its warnings set to `warnings[modelId]`, or the field removed where that is undefined. */
function results(warnings: Record<string, unknown[] | undefined>): ModelResult[] {
  return models.map((modelId, k) => {
    const result = forecastSku({ sku: 'A', values: VALUES, dates: DATES, frequency: 'monthly', modelId, method: 'grid', settings: { ...defaultForecastSettings } }) as unknown as Record<string, unknown>;
    if (warnings[modelId] === undefined) delete result.warnings;
    else result.warnings = warnings[modelId];
    return { sku: 'A', modelId, method: 'grid', jobId: k + 1, finishedAt: 0, result };
  });
}

const warningsOf = (rs: ModelResult[]) => Object.fromEntries(forecastItem('A', dataset, rs, undefined).models.map((m) => [m.modelId, m.warnings]));

describe("forecastItem's models carry their results' warnings", () => {
  it("gives each model its own result's warnings, in their order", () => {
    expect(warningsOf(results({ naive: [SHRUNK, 'history too short for a holdout of 6; held out 4'], mean: [] }))).toEqual({
      naive: [SHRUNK, 'history too short for a holdout of 6; held out 4'],
      mean: [],
    });
  });

  it('gives [] for a stored result without the field (an older engine), and keeps only the strings of a malformed one', () => {
    expect(warningsOf(results({ naive: undefined, mean: [SHRUNK, null, 3, { text: 'x' }] }))).toEqual({ naive: [], mean: [SHRUNK] });
  });
});
