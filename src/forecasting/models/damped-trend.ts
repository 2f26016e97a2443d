import type { ModelDefinition } from '../model-definition.js';
import { estimateEs, esFittedModel } from '../es-estimation.js';
import { ALPHA, BETA, PHI, admissibleGrid, esParameters } from './es-model-shared.js';

/** Holt's damped trend method, ETS(A,Ad,N), as R's forecast::holt(damped = TRUE). */
export const dampedTrendModel: ModelDefinition = {
  info: {
    id: 'damped_trend',
    name: 'Damped trend',
    description: 'Holt\'s trend, flattened by phi as the horizon grows; a robust default for trending demand.',
    family: 'exponential smoothing',
    parameters: [ALPHA, BETA, PHI],
    seasonal: false,
    intermittent: false,
  },
  minLength: () => 5,
  gridCandidates: () => admissibleGrid([ALPHA, BETA, PHI]),
  fit(ctx, params) {
    const fixed = params ? { alpha: params.alpha, beta: params.beta, phi: params.phi } : {};
    const fit = estimateEs(ctx.y, { error: 'A', trend: 'Ad', season: 'N', m: 1 }, fixed);
    return esFittedModel(fit, esParameters(fit));
  },
};
