import { describe, expect, it } from 'vitest';
import { choiceLabel } from './choice-label.js';

const cv = "weighted mean of ensemble (kept for every SKU, weight 60%) and the 3 other models (13.3% each) with the lowest error in rolling-origin cross-validation (4 origins, each tuned on the data before it): ensemble, ets, damped_trend, seasonal_naive";

describe('choiceLabel', () => {
  it('names cross-validation for the default choice, never "best"', () => {
    expect(choiceLabel({ selectedBy: 'metric', selection: { how: cv, members: ['ensemble', 'ets', 'damped_trend', 'seasonal_naive'] } })).toBe('chosen by cross-validation');
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
  });
});
