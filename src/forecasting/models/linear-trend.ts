import type { ModelDefinition } from '../model-definition.js';
import { intervalBands } from '../prediction-intervals.js';

/**
 * Least-squares straight line through the history, with the classical regression prediction
 * interval: t(n-2) quantile, standard error s sqrt(1 + 1/n + (x - xbar)^2 / Sxx).
 */
export const linearTrendModel: ModelDefinition = {
  info: {
    id: 'linear_trend',
    name: 'Linear trend',
    description: 'A straight line fitted to the whole history and extended; for steady growth or decline.',
    family: 'regression',
    parameters: [],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 3,
  fit(ctx) {
    const y = ctx.y;
    const n = y.length;
    const xbar = (n + 1) / 2; // x = 1..n
    let ybar = 0;
    for (let i = 0; i < n; i++) ybar += y[i];
    ybar /= n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const dx = i + 1 - xbar;
      sxx += dx * dx;
      sxy += dx * (y[i] - ybar);
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    const intercept = ybar - slope * xbar;
    const fitted: number[] = [];
    let sse = 0;
    for (let i = 0; i < n; i++) {
      const f = intercept + slope * (i + 1);
      fitted.push(f);
      sse += (y[i] - f) ** 2;
    }
    const s = n > 2 ? Math.sqrt(sse / (n - 2)) : 0;
    return {
      parameters: { intercept, slope },
      aicc: null,
      sigma: s,
      fitted,
      forecast(h, levels) {
        const mean: number[] = [];
        const variance: number[] = [];
        for (let i = 1; i <= h; i++) {
          const x = n + i;
          mean.push(intercept + slope * x);
          variance.push(s * s * (1 + 1 / n + (sxx > 0 ? (x - xbar) ** 2 / sxx : 0)));
        }
        return { mean, intervals: intervalBands(mean, variance, levels, n > 2 ? n - 2 : undefined) };
      },
    };
  },
};
