import type { ModelDefinition } from '../model-definition.js';
import { estimateEs, esFittedModel } from '../es-estimation.js';
import { ALPHA, esParameters } from './es-model-shared.js';

/** Simple exponential smoothing, ETS(A,N,N), as R's forecast::ses. */
export const simpleExponentialSmoothingModel: ModelDefinition = {
  info: {
    id: 'simple_exponential_smoothing',
    name: 'Simple exponential smoothing',
    description: 'A level that follows the data with weight alpha; flat forecasts. For demand with no trend or season.',
    family: 'exponential smoothing',
    parameters: [ALPHA],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 3,
  fit(ctx, params) {
    const fit = estimateEs(ctx.y, { error: 'A', trend: 'N', season: 'N', m: 1 }, params ? { alpha: params.alpha } : {});
    return esFittedModel(fit, esParameters(fit));
  },
};
