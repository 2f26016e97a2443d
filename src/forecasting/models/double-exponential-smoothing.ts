import type { ModelDefinition } from '../model-definition.js';
import { estimateEs, esFittedModel } from '../es-estimation.js';
import { ALPHA, BETA, admissibleGrid, esParameters } from './es-model-shared.js';

/** Holt's linear trend method, ETS(A,A,N), as R's forecast::holt. */
export const doubleExponentialSmoothingModel: ModelDefinition = {
  info: {
    id: 'double_exponential_smoothing',
    name: 'Double exponential smoothing (Holt)',
    description: 'A level and a trend, each smoothed; forecasts follow a straight line. For trending demand without a season.',
    family: 'exponential smoothing',
    parameters: [ALPHA, BETA],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 4,
  gridCandidates: () => admissibleGrid([ALPHA, BETA]),
  fit(ctx, params) {
    const fit = estimateEs(ctx.y, { error: 'A', trend: 'A', season: 'N', m: 1 }, params ? { alpha: params.alpha, beta: params.beta } : {});
    return esFittedModel(fit, esParameters(fit));
  },
};
