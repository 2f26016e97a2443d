import type { ModelDefinition, ParameterValues } from '../model-definition.js';
import { intervalBands, residualSigma } from '../prediction-intervals.js';

/** One-step fits: the mean of the same season in the previous `w` seasons (as many as exist). */
function seasonalFits(y: number[], m: number, w: number): number[] {
  const fitted = new Array<number>(y.length).fill(Number.NaN);
  for (let t = m; t < y.length; t++) {
    let s = 0;
    let k = 0;
    for (let j = 1; j <= w && t - j * m >= 0; j++) { s += y[t - j * m]; k++; }
    fitted[t] = s / k;
  }
  return fitted;
}

const MAX_SEASONS = 5;

/**
 * Seasonal moving average: each future period is the mean of the same season over the last
 * `window` seasons. Without a seasonal period in use it averages the last `window` points.
 * `mle` picks the window with the lowest in-sample squared error. The variance grows with each
 * whole season ahead by sigma^2/window.
 */
export const seasonalMovingAverageModel: ModelDefinition = {
  info: {
    id: 'seasonal_moving_average',
    name: 'Seasonal moving average',
    description: 'The mean of the same period over the last `window` seasons (e.g. this month in the last 2 years).',
    family: 'smoothing',
    parameters: [
      { name: 'window', description: 'How many past seasons to average.', grid: [1, 2, 3], min: 1, max: MAX_SEASONS, integer: true },
      { name: 'period', description: 'Season length; taken from the data frequency (12 monthly, 4 quarterly, 52 weekly, 7 daily).', grid: [], min: 1, max: 52, integer: true },
    ],
    seasonal: true,
    intermittent: false,
  },
  minLength: (period) => (period !== null && period > 1 ? period + 1 : 3),
  gridCandidates(ctx): ParameterValues[] {
    const m = ctx.period ?? 1;
    return (m > 1 ? [1, 2, 3] : [2, 3, 4, 6, 8, 12]).map((window) => ({ window, period: m }));
  },
  fit(ctx, params) {
    const y = ctx.y;
    const n = y.length;
    const m = ctx.period !== null && ctx.period > 1 && ctx.period < n ? ctx.period : 1;
    const maxW = m > 1 ? Math.max(1, Math.min(MAX_SEASONS, Math.floor((n - 1) / m))) : Math.min(24, n - 1);
    let w: number;
    let compared = 1;
    if (params) {
      w = Math.max(1, Math.min(Math.round(params.window), maxW));
    } else {
      w = 1;
      compared = maxW;
      let best = Number.POSITIVE_INFINITY;
      const from = maxW * m;
      for (let k = 1; k <= maxW; k++) {
        const f = seasonalFits(y, m, k);
        let sse = 0;
        for (let t = from; t < n; t++) sse += (y[t] - f[t]) ** 2;
        if (sse < best - 1e-12 * Math.abs(best)) { best = sse; w = k; }
      }
    }
    const fitted = seasonalFits(y, m, w);
    const sigma = residualSigma(y, fitted);
    const seasonMeans: number[] = [];
    for (let i = 0; i < m; i++) {
      const t = n - m + i; // the last occurrence of this season
      let s = 0;
      let k = 0;
      for (let j = 0; j < w && t - j * m >= 0; j++) { s += y[t - j * m]; k++; }
      seasonMeans.push(s / k);
    }
    return {
      parameters: { window: w, period: m },
      aicc: null,
      sigma,
      fitted,
      candidatesEvaluated: compared,
      forecast(h, levels) {
        const mean: number[] = [];
        const variance: number[] = [];
        for (let i = 0; i < h; i++) {
          mean.push(seasonMeans[i % m]);
          variance.push(sigma * sigma * (1 + Math.floor(i / m) / w));
        }
        return { mean, intervals: intervalBands(mean, variance, levels) };
      },
    };
  },
};
