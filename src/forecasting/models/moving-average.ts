import type { ModelDefinition } from '../model-definition.js';
import { intervalBands, residualSigma, sesLikeVariance } from '../prediction-intervals.js';

/** One-step fits of a trailing mean of `w` points (NaN until w points exist). */
function movingAverageFits(y: number[], w: number): number[] {
  const n = y.length;
  const fitted = new Array<number>(n).fill(Number.NaN);
  let sum = 0;
  for (let t = 0; t < n; t++) {
    if (t >= w) fitted[t] = sum / w;
    sum += y[t];
    if (t >= w) sum -= y[t - w];
  }
  return fitted;
}

const MAX_WINDOW = 24;

/**
 * Trailing moving average: the forecast is the mean of the last `window` points. `mle` picks the
 * window with the lowest in-sample one-step squared error, every window scored on the same
 * periods. Intervals use the residual sigma with the growth of SES at the equivalent weight
 * 2/(window+1).
 */
export const movingAverageModel: ModelDefinition = {
  info: {
    id: 'moving_average',
    name: 'Moving average',
    description: 'The mean of the last `window` periods; flat forecasts. Simple and robust for stable demand.',
    family: 'smoothing',
    parameters: [{ name: 'window', description: 'How many recent periods to average.', grid: [2, 3, 4, 6, 8, 12], min: 1, max: MAX_WINDOW, integer: true }],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 3,
  fit(ctx, params) {
    const y = ctx.y;
    const n = y.length;
    let w: number;
    let compared = 1;
    if (params) {
      w = Math.max(1, Math.min(Math.round(params.window), n - 1));
    } else {
      const maxW = Math.min(MAX_WINDOW, n - 1);
      w = 1;
      let best = Number.POSITIVE_INFINITY;
      compared = maxW;
      for (let k = 1; k <= maxW; k++) {
        const f = movingAverageFits(y, k);
        let sse = 0;
        for (let t = maxW; t < n; t++) sse += (y[t] - f[t]) ** 2;
        if (sse < best - 1e-12 * Math.abs(best)) { best = sse; w = k; }
      }
    }
    const fitted = movingAverageFits(y, w);
    const sigma = residualSigma(y, fitted);
    let level = 0;
    for (let t = n - w; t < n; t++) level += y[t];
    level /= w;
    return {
      parameters: { window: w },
      aicc: null,
      sigma,
      fitted,
      candidatesEvaluated: compared,
      forecast(h, levels) {
        const mean = new Array<number>(h).fill(level);
        return { mean, intervals: intervalBands(mean, sesLikeVariance(sigma, 2 / (w + 1), h), levels) };
      },
    };
  },
};
