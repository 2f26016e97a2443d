import { describe, expect, it } from 'vitest';
import type { ModelRun } from '../api/types.js';
import { forecastNotes } from './ForecastNotes.js';

const run = (modelId: string, warnings: string[]): ModelRun => ({ modelId, method: 'grid', jobId: 1, finishedAt: 0, metrics: null, parameters: {}, aicc: null, warnings });

describe('forecastNotes', () => {
  it("leaves out a note whose first clause the choice's sentence already says, keeps the rest once per text", () => {
    const how = 'weighted mean of ensemble (kept for every SKU, weight 60%) and the 3 other models (13.3% each) ...; seasonal profile borrowed from 141 SKUs of this dataset for ensemble, ets, where cross-validation showed it helps';
    const borrowed = (mae: number) => `seasonal profile borrowed from 141 SKUs of this dataset (12 periods a year, data through 2023-12-01): cross-validation mae ${mae} with it, 30 without`;
    const short = 'history of 22 points is shorter than two seasons (24); fitted without seasonality';
    const notes = forecastNotes({
      selection: { how, members: ['ensemble', 'ets', 'croston'] },
      models: [run('ensemble', [borrowed(28.9), short]), run('ets', [borrowed(29.1), short]), run('croston', ['62% of the history is zero (intermittent demand)']), run('damped_trend', ['not in the mix'])],
    });
    expect(notes).toEqual([
      { models: ['ensemble', 'ets'], text: short },
      { models: ['croston'], text: '62% of the history is zero (intermittent demand)' },
    ]);
  });

  it('keeps a note whose short first clause happens to stand in the sentence', () => {
    const notes = forecastNotes({ selection: { how: 'chosen by the planner: ets', members: ['ets'] }, models: [run('ets', ['ets: something the planner should read'])] });
    expect(notes).toEqual([{ models: ['ets'], text: 'ets: something the planner should read' }]);
  });
});
