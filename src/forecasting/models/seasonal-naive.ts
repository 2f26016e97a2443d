import type { ModelDefinition } from '../model-definition.js';
import { intervalBands } from '../prediction-intervals.js';

/**
 * Seasonal naive, as R's forecast::snaive: each future period repeats the same season of the last
 * year; the variance grows with the number of whole seasons ahead, k sigma^2, with sigma^2 the
 * mean squared seasonal difference. Without a seasonal period it is the naive forecast.
 */
export const seasonalNaiveModel: ModelDefinition = {
  info: {
    id: 'seasonal_naive',
    name: 'Seasonal naive',
    description: 'Repeats the last observed season (the same month last year, for monthly data).',
    family: 'benchmark',
    parameters: [],
    seasonal: true,
    intermittent: false,
  },
  calendarSeason: true,
  minLength: (period) => (period ?? 1) + 1,
  fit(ctx) {
    const y = ctx.y;
    const n = y.length;
    const m = ctx.period !== null && ctx.period < n ? ctx.period : 1;
    const fitted = new Array<number>(n).fill(Number.NaN);
    let ss = 0;
    for (let i = m; i < n; i++) {
      fitted[i] = y[i - m];
      ss += (y[i] - y[i - m]) ** 2;
    }
    const sigma = n > m ? Math.sqrt(ss / (n - m)) : 0;
    return {
      parameters: { period: m },
      aicc: null,
      sigma,
      fitted,
      forecast(h, levels) {
        const mean: number[] = [];
        const variance: number[] = [];
        for (let i = 0; i < h; i++) {
          mean.push(y[n - m + (i % m)]);
          variance.push(sigma * sigma * (Math.floor(i / m) + 1));
        }
        return { mean, intervals: intervalBands(mean, variance, levels) };
      },
    };
  },
};
