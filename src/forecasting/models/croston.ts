import type { ParameterSpec } from '../forecast-types.js';
import type { ModelDefinition } from '../model-definition.js';
import { crostonRate, estimateSmoothing, INTERMITTENT_ALPHA, rateFittedModel } from '../intermittent-demand.js';

export const INTERMITTENT_ALPHA_SPEC: ParameterSpec = {
  name: 'alpha',
  description: 'Smoothing of demand sizes and intervals (R\'s croston default is 0.1).',
  grid: [0.05, 0.1, 0.15, 0.2, 0.3],
  min: INTERMITTENT_ALPHA.min,
  max: INTERMITTENT_ALPHA.max,
  integer: false,
};

/** Croston's method, as R's forecast::croston. `mle` picks alpha by in-sample squared error. */
export const crostonModel: ModelDefinition = {
  info: {
    id: 'croston',
    name: 'Croston',
    description: 'For intermittent demand: smooths the sizes of non-zero demands and the gaps between them; forecasts the average rate.',
    family: 'intermittent',
    parameters: [INTERMITTENT_ALPHA_SPEC],
    seasonal: false,
    intermittent: true,
  },
  minLength: () => 2,
  fit(ctx, params) {
    const alpha = params ? params.alpha : estimateSmoothing(1, (x) => crostonRate(ctx.y, x[0], 1).sse)[0];
    return rateFittedModel(ctx.y, crostonRate(ctx.y, alpha, 1), alpha, { alpha });
  },
};
