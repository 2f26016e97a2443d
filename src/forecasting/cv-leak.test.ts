/**
 * Cross-validation through runForecast is leak-free: an origin's forecast depends on the data
 * before it only. crossValidate's own test fixes the seasonality and the clipping; here every
 * decision runForecast takes on the history (the seasonal period, clipping at 0) is in play.
 */
import { describe, expect, it } from 'vitest';
import { defaultModels, runForecast } from './index.js';

const dates = (n: number) => Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

function cvOf(modelId: string, values: number[]) {
  const r = runForecast({
    sku: 'S', values, dates: dates(values.length), modelId, method: 'grid',
    settings: { horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80, 95] },
  });
  return r.cv!;
}

// Falls steadily to the first origin (21), so trended forecasts from there go below 0.
const before = Array.from({ length: 21 }, (_, t) => 100 - 4.5 * t + 2 * Math.sin(t * 1.7));
const positiveAfter = [...before, ...Array.from({ length: 15 }, (_, t) => 3 + (t % 3))];
// The same past; afterwards negatives (returns) and a strong season the history before 21 never had.
const otherAfter = [...before, ...Array.from({ length: 15 }, (_, t) => -40 + 60 * Math.sin((2 * Math.PI * t) / 12))];

describe('cross-validation through runForecast uses no data after an origin', () => {
  for (const modelId of defaultModels) {
    it(`${modelId}: the first origin's forecast is the same whatever follows it`, () => {
      const a = cvOf(modelId, positiveAfter);
      const b = cvOf(modelId, otherAfter);
      expect(a.origins[0]).toBe(21);
      expect(b.forecast[0]).toEqual(a.forecast[0]);
    });
  }

  it('an origin whose own history has no negative value clips its forecasts at 0', () => {
    const b = cvOf('damped_trend', otherAfter);
    expect(b.forecast[0]!.every((v) => v >= 0)).toBe(true);
    expect(b.forecast[0]!.some((v) => v === 0)).toBe(true);
  });
});
