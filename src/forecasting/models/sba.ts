import type { ModelDefinition } from '../model-definition.js';
import { crostonRate, estimateSmoothing, rateFittedModel } from '../intermittent-demand.js';
import { INTERMITTENT_ALPHA_SPEC } from './croston.js';

/** Syntetos-Boylan approximation: Croston's rate times (1 - alpha/2), removing Croston's upward bias. */
export const sbaModel: ModelDefinition = {
  info: {
    id: 'sba',
    name: 'Syntetos-Boylan (SBA)',
    description: 'Croston corrected for its tendency to over-forecast; usually the better intermittent default.',
    family: 'intermittent',
    parameters: [INTERMITTENT_ALPHA_SPEC],
    seasonal: false,
    intermittent: true,
  },
  minLength: () => 2,
  fit(ctx, params) {
    const sse = (a: number) => crostonRate(ctx.y, a, 1 - a / 2).sse;
    const alpha = params ? params.alpha : estimateSmoothing(1, (x) => sse(x[0]))[0];
    return rateFittedModel(ctx.y, crostonRate(ctx.y, alpha, 1 - alpha / 2), alpha, { alpha });
  },
};
