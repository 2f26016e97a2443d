import { describe, expect, it } from 'vitest';
import { portfolioLines } from './portfolio-lines.js';

describe('portfolioLines', () => {
  it('says over how many SKUs the WAPE is when some forecasts have no backtest (was: "portfolio WAPE 9.1 %" over 25 of 49)', () => {
    const lines = portfolioLines({ portfolio: { wape: 9.1, bias: -1.25, skus: 50, skusWithForecast: 49, skusWithBacktest: 25 }, bestModels: { 'ensemble+ets': 49 } });
    expect(lines[1]).toBe("  portfolio WAPE      9.1 %   bias -1.3 %   (over 25 of 49 SKUs with a backtest; the others' histories are too short to hold out a point)");
  });

  it('says why WAPE is "--" when no forecast has a backtest, and nothing more when every one has', () => {
    const none = { portfolio: { wape: null, bias: null, skus: 3, skusWithForecast: 3, skusWithBacktest: 0 }, bestModels: {} };
    expect(portfolioLines(none, 0)[1]).toMatch(/--   bias --   \(no forecast has a backtest: the holdout is 0\)$/);
    expect(portfolioLines(none, 6)[1]).toMatch(/\(no forecast has a backtest: the histories are too short to hold out a point\)$/);
    expect(portfolioLines({ portfolio: { wape: 5, bias: 0, skus: 3, skusWithForecast: 3, skusWithBacktest: 3 }, bestModels: {} })[1]).toBe('  portfolio WAPE      5.0 %   bias 0.0 %');
  });

  it('calls the models the chosen forecasts, never the "best" (the default is a weighted mean)', () => {
    const lines = portfolioLines({ portfolio: { wape: 5, bias: 0, skus: 3, skusWithForecast: 3, skusWithBacktest: 3 }, bestModels: { ets: 1, 'ensemble+ets+theta': 2 } });
    expect(lines.join('\n')).not.toMatch(/best/);
    expect(lines.slice(2)).toEqual(['  chosen forecast     SKUs', `    ${'ensemble+ets+theta'.padEnd(30)} 2`, `    ${'ets'.padEnd(30)} 1`]);
  });
});
