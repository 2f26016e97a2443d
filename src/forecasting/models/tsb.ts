import type { ModelDefinition } from '../model-definition.js';
import { estimateSmoothing, INTERMITTENT_ALPHA, rateFittedModel, tsbRate } from '../intermittent-demand.js';
import { INTERMITTENT_ALPHA_SPEC } from './croston.js';

/**
 * Teunter-Syntetos-Babai: updates the probability of demand every period, so an item that stops
 * selling sees its forecast decay (Croston's stays put until the next sale).
 */
export const tsbModel: ModelDefinition = {
  info: {
    id: 'tsb',
    name: 'Teunter-Syntetos-Babai (TSB)',
    description: 'For intermittent demand that may die out: smooths demand size and the probability of demand each period.',
    family: 'intermittent',
    parameters: [
      { ...INTERMITTENT_ALPHA_SPEC, description: 'Smoothing of demand sizes.' },
      { name: 'beta', description: 'Smoothing of the probability of demand.', grid: [0.05, 0.1, 0.2, 0.3], min: INTERMITTENT_ALPHA.min, max: INTERMITTENT_ALPHA.max, integer: false },
    ],
    seasonal: false,
    intermittent: true,
  },
  minLength: () => 2,
  fit(ctx, params) {
    const [alpha, beta] = params ? [params.alpha, params.beta] : estimateSmoothing(2, (x) => tsbRate(ctx.y, x[0], x[1]).sse);
    return rateFittedModel(ctx.y, tsbRate(ctx.y, alpha, beta), Math.max(alpha, beta), { alpha, beta });
  },
};
