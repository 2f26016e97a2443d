import { describe, expect, it } from 'vitest';
import { accuracyMetrics, mase, mape, smape, wape } from './metrics.js';

describe('metrics', () => {
  it('computes every measure on a hand-checked case', () => {
    // actual 10 20 40, forecast 12 18 30: errors (f - a) 2 -2 -10.
    const m = accuracyMetrics([10, 20, 40], [12, 18, 30], [10, 12, 11, 15], 1);
    expect(m.mae).toBeCloseTo(14 / 3, 12); // (2 + 2 + 10) / 3
    expect(m.rmse).toBeCloseTo(Math.sqrt(108 / 3), 12); // sqrt((4 + 4 + 100) / 3)
    expect(m.mape!).toBeCloseTo((100 * (0.2 + 0.1 + 0.25)) / 3, 12);
    // sMAPE (M3): 200 * (2/22 + 2/38 + 10/70) / 3
    expect(m.smape).toBeCloseTo((200 * (2 / 22 + 2 / 38 + 10 / 70)) / 3, 12);
    // MASE: in-sample naive MAE of 10 12 11 15 = (2 + 1 + 4) / 3 = 7/3 -> (14/3) / (7/3) = 2.
    expect(m.mase!).toBeCloseTo(2, 12);
    expect(m.wape!).toBeCloseTo((100 * 14) / 70, 12);
    expect(m.bias).toBeCloseTo(-10 / 3, 12);
  });
  it('returns null where a measure is undefined', () => {
    expect(mape([0, 1], [1, 1])).toBeNull();
    expect(mase([1], [2], [5, 5, 5], 1)).toBeNull();
    expect(wape([0, 0], [1, 1])).toBeNull();
    expect(smape([0], [0])).toBe(0);
  });
  it('scales MASE by the seasonal naive when the period fits in the history', () => {
    // Period 2 on 1 5 2 6 3 7: seasonal changes 1 1 1 1 -> scale 1.
    expect(mase([4], [6], [1, 5, 2, 6, 3, 7], 2)).toBeCloseTo(2, 12);
  });
});
