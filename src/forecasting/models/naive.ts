import type { ModelDefinition } from '../model-definition.js';
import { intervalBands } from '../prediction-intervals.js';

/**
 * Naive (random walk) forecast, as R's forecast::naive: every future value is the last one; the
 * h-step variance is h sigma^2, with sigma^2 the mean squared one-step change.
 */
export const naiveModel: ModelDefinition = {
  info: {
    id: 'naive',
    name: 'Naive',
    description: 'Repeats the last observed value; the benchmark every other model should beat.',
    family: 'benchmark',
    parameters: [],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 2,
  fit(ctx) {
    const y = ctx.y;
    const n = y.length;
    const fitted = new Array<number>(n);
    fitted[0] = Number.NaN;
    let ss = 0;
    for (let i = 1; i < n; i++) {
      fitted[i] = y[i - 1];
      ss += (y[i] - y[i - 1]) ** 2;
    }
    const sigma = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    const last = y[n - 1];
    return {
      parameters: {},
      aicc: null,
      sigma,
      fitted,
      forecast(h, levels) {
        const mean = new Array<number>(h).fill(last);
        const variance = mean.map((_, i) => sigma * sigma * (i + 1));
        return { mean, intervals: intervalBands(mean, variance, levels) };
      },
    };
  },
};
