import { describe, expect, it } from 'vitest';
import { choiceLabel, choiceWhy } from './choice-label.js';

const cv = "weighted mean of ensemble (kept for every SKU, weight 60%) and the 3 other models (13.3% each) with the lowest error in rolling-origin cross-validation (4 origins, each tuned on the data before it): ensemble, ets, damped_trend, seasonal_naive";

const metric = (how: string) => ({ selectedBy: 'metric' as const, selection: { how, members: [] } });

describe('choiceLabel', () => {
  it('says how the default mix is made: the ensemble kept at its fixed weight, the others by cross-validation; never "best" (was: "chosen by cross-validation", beside a CV error above a single model\'s)', () => {
    const label = choiceLabel(metric(cv));
    expect(label).toBe('ensemble kept at 60%, plus the 3 others with the lowest cross-validation error at 13.3% each');
    expect(label).not.toMatch(/best|chosen by/);
    expect(choiceLabel(metric('weighted mean of ensemble (kept for every SKU, weight 60%) and the other model (40%) with the lowest error in rolling-origin cross-validation (4 origins, each tuned on the data before it): ensemble, ets')))
      .toBe('ensemble kept at 60%, plus the other with the lowest cross-validation error at 40%');
    expect(choiceLabel(metric('weighted mean of all 4 models (ensemble, ets, theta, naive: ensemble 60%, the others 13.3% each), each scored by rolling-origin cross-validation (4 origins, each tuned on the data before it)')))
      .toBe('all 4 models: ensemble kept at 60%, the others at 13.3% each');
    expect(choiceLabel(metric('mean of the 4 models with the lowest error in rolling-origin cross-validation (4 origins, each tuned on the data before it): a, b, c, d')))
      .toBe('equal mean of the 4 with the lowest cross-validation error');
    expect(choiceLabel(metric('mean of ensemble (kept for every SKU) and the 3 other models with the lowest error in rolling-origin cross-validation (2 origins): ensemble, a, b, c')))
      .toBe('equal mean of ensemble (always in) and the 3 others with the lowest cross-validation error');
    expect(choiceLabel(metric('lowest error in rolling-origin cross-validation (4 origins, each tuned on the data before it) among 3 models'))).toBe('lowest cross-validation error');
  });

  it('explains why the fixed mix can score worse than a model below it, only for such a mix', () => {
    expect(choiceWhy(metric(cv))).toMatch(/keeps its weight whatever its error on this SKU/);
    expect(choiceWhy(metric('lowest error in rolling-origin cross-validation (4 origins) among 3 models'))).toBeNull();
    expect(choiceWhy({ selectedBy: 'override', selection: { how: cv, members: [] } })).toBeNull();
  });

  it('says the planner chose an override', () => {
    expect(choiceLabel({ selectedBy: 'override', selection: { how: 'chosen by the planner', members: ['ets'] } })).toBe('chosen by you');
  });

  it('says holdout error when the history was too short for cross-validation, and unscored when nothing was', () => {
    const holdout = 'lowest error among the 3 models scored on the last 6 points held out (the error it was chosen on; no cross-validation to compare them by)';
    expect(choiceLabel({ selectedBy: 'metric', selection: { how: holdout, members: ['ets'] } })).toBe('lowest holdout error');
    const none = 'the first enabled model: none was scored (no points were held out, so no cross-validation)';
    expect(choiceLabel({ selectedBy: 'metric', selection: { how: none, members: ['ets'] } })).toBe('first enabled model, unscored');
    expect(choiceLabel({ selectedBy: 'metric', selection: null })).toBe('chosen automatically');
    const unranked = 'mean of the 4 models that fitted (ets, damped_trend, seasonal_naive, croston): too few points held out (1) to rank them';
    expect(choiceLabel({ selectedBy: 'metric', selection: { how: unranked, members: ['ets'] } })).toBe('equal mean of all 4 models, too few points to rank them');
    expect(choiceWhy({ selectedBy: 'metric', selection: { how: unranked, members: ['ets'] } })).toBeNull();
  });
});
