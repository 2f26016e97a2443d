import type { ModelDefinition } from '../model-definition.js';
import { intervalBands } from '../prediction-intervals.js';

/**
 * The historical mean, as R's forecast::meanf: intervals from the Student t with n-1 degrees of
 * freedom and standard error s sqrt(1 + 1/n), the same at every horizon.
 */
export const meanModel: ModelDefinition = {
  info: {
    id: 'mean',
    name: 'Mean',
    description: 'Forecasts the average of the whole history; suits demand with no trend or season.',
    family: 'benchmark',
    parameters: [],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 2,
  fit(ctx) {
    const y = ctx.y;
    const n = y.length;
    let mu = 0;
    for (let i = 0; i < n; i++) mu += y[i];
    mu /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (y[i] - mu) ** 2;
    const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    return {
      parameters: {},
      aicc: null,
      sigma: sd,
      fitted: new Array<number>(n).fill(mu),
      forecast(h, levels) {
        const mean = new Array<number>(h).fill(mu);
        const variance = new Array<number>(h).fill(sd * sd * (1 + 1 / n));
        return { mean, intervals: intervalBands(mean, variance, levels, n > 1 ? n - 1 : undefined) };
      },
    };
  },
};
