import { describe, expect, it } from 'vitest';
import { suggestOutliers } from './outlier-suggestions.js';

function seasonal(n: number): number[] {
  return Array.from({ length: n }, (_, t) => Math.round(100 + 30 * Math.sin((2 * Math.PI * t) / 12) + t + ((t * 7) % 5)));
}

describe('suggestOutliers', () => {
  it('flags a spike with a replacement near the seasonal fit, and nothing else', () => {
    const y = seasonal(36);
    const clean = y[20];
    y[20] = 600;
    const found = suggestOutliers(y, 12);
    expect(found.map((o) => o.index)).toEqual([20]);
    expect(found[0].value).toBe(600);
    expect(Math.abs(found[0].suggested - clean)).toBeLessThan(25);
    expect(found[0].score).toBeGreaterThan(3.5);
  });
  it('leaves seasonal peaks alone and never flags a zero', () => {
    expect(suggestOutliers(seasonal(48), 12)).toEqual([]);
    const intermittent = [0, 0, 3, 0, 0, 2, 0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0];
    expect(suggestOutliers(intermittent, 12)).toEqual([]);
  });
  it('compares an intermittent demand with the other demand sizes', () => {
    const y = [0, 0, 3, 0, 0, 2, 0, 0, 0, 4, 0, 0, 3, 0, 0, 60, 0, 0, 2, 0];
    const found = suggestOutliers(y, 12);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 15, value: 60, suggested: 3 });
    expect(found[0].score).toBeCloseTo(57 / (1 / 0.6745), 1);
  });
});
