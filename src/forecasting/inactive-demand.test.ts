/**
 * A discontinued SKU (walkthrough item 3): sold every month, then a year of zeros. Through the
 * worker's entry (forecastSku) for each default model and the choice the app shows
 * (chooseForecast), as src/datasets' forecastItem calls them. Before the rule, the 36-month cut
 * showed mean 0.1, 80% upper 1.0 and 95% upper 140-226; the 24- and 30-month cuts a mean of 6.4
 * and 3.9 a month (croston's old rate in the mean).
 */
import { describe, expect, it } from 'vitest';
import { chooseForecast, defaultForecastSettings, defaultModels, forecastSku, inactiveRun } from './index.js';

const SKU_002 = [70, 62, 48, 36, 22, 18, 10, 18, 28, 40, 58, 62, 62, 67, 50, 39, 29, 18, 13, 16, 26, 47, 68, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function choice(values: number[]) {
  const dates = values.map((_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  const candidates = defaultModels.map((modelId) => ({
    modelId,
    result: forecastSku({ sku: 'SKU-002', values, dates, frequency: 'monthly', modelId, method: 'grid', settings: { ...defaultForecastSettings } }),
  }));
  return { candidates, choice: chooseForecast(candidates, 'mae')! };
}

describe('a SKU that stopped selling a year ago', () => {
  for (const n of [36, 30, 24]) {
    it(`is forecast 0 with no spread on its last ${n} months, by every model and by the choice`, () => {
      const { candidates, choice: c } = choice(SKU_002.slice(SKU_002.length - n));
      expect(c.forecast.mean.every((v) => v === 0)).toBe(true);
      for (const band of c.forecast.intervals) {
        expect(band.upper.every((v) => v === 0), `${band.level}% upper`).toBe(true);
        expect(band.lower.every((v) => v === 0), `${band.level}% lower`).toBe(true);
      }
      expect(c.how).toMatch(/^no demand in the last 12 months, after sales in \d+ of the \d+ months before .*forecast as inactive/);
      for (const { modelId, result } of candidates) {
        expect(result.forecast.mean.every((v) => v === 0), modelId).toBe(true);
        expect(result.inactive?.zeros, modelId).toBe(12);
      }
    });
  }
});

describe('inactiveRun', () => {
  const monthly = (before: number[], zeros: number) => [...before, ...new Array<number>(zeros).fill(0)];
  const steady = Array.from({ length: 24 }, (_, i) => 40 + (i % 5));

  it('reads a year of zeros after steady sales as a stop', () => {
    expect(inactiveRun(monthly(steady, 12), 'monthly')).toMatchObject({ zeros: 12, sales: 24, periods: 24 });
  });

  it('needs a whole year: 11 months of zeros are not a stop, 4 zero quarters are', () => {
    expect(inactiveRun(monthly(steady, 11), 'monthly')).toBeNull();
    expect(inactiveRun(monthly(steady.slice(0, 8), 3), 'quarterly')).toBeNull();
    expect(inactiveRun(monthly(steady.slice(0, 8), 4), 'quarterly')).not.toBeNull();
  });

  it('does not read a seasonal SKU\'s off-season as a stop', () => {
    // Sells October to December only, two years, then nine months of off-season.
    const season = Array.from({ length: 24 }, (_, i) => (i % 12 >= 9 ? 50 : 0));
    expect(inactiveRun(monthly(season, 9), 'monthly')).toBeNull();
  });

  it('keeps a slow mover whose rate makes a year without a sale likely', () => {
    // A sale every seventh month (5 in 29 months from the first): p = 5.5 / 30, a 12-month run has a chance of 9%.
    const slow = Array.from({ length: 35 }, (_, i) => (i % 7 === 6 ? 3 : 0));
    expect(inactiveRun(monthly(slow, 12), 'monthly')).toBeNull();
    // Two years without a sale is a stop for it too (chance 0.8%).
    expect(inactiveRun(monthly(slow, 24), 'monthly')).not.toBeNull();
  });

  it('never flags a history that never sold, or one with negative values', () => {
    expect(inactiveRun(new Array<number>(24).fill(0), 'monthly')).toBeNull();
    expect(inactiveRun(monthly([...steady.slice(0, 23), -5], 12), 'monthly')).toBeNull();
  });
});
