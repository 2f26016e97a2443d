import type { ModelDefinition } from '../model-definition.js';
import { fixedParams, seasonallyAdjustedEs } from './seasonally-adjusted-es.js';
import { ALPHA, BETA, PHI, admissibleGrid } from './es-model-shared.js';

/** The grid, made once: gridSearch keys its fits by candidate object (frozen: shared by every search). */
const GRID = admissibleGrid([ALPHA, BETA, PHI]).map((c) => Object.freeze(c));

/** Holt's damped trend method, ETS(A,Ad,N), as R's forecast::holt(damped = TRUE);
 * on the seasonally adjusted series when a season is found (M3 convention, seasonally-adjusted-es.ts). */
export const dampedTrendModel: ModelDefinition = {
  shrinksSeason: true,
  info: {
    id: 'damped_trend',
    name: 'Damped trend',
    description: 'Holt\'s trend, flattened by phi as the horizon grows; a robust default for trending demand. Where a season is found, it is fitted to the seasonally adjusted series and reseasonalised (the M3 convention).',
    family: 'exponential smoothing',
    parameters: [ALPHA, BETA, PHI],
    seasonal: true,
    intermittent: false,
  },
  minLength: () => 5,
  gridCandidates: () => GRID,
  fit(ctx, params) {
    return seasonallyAdjustedEs(ctx, { error: 'A', trend: 'Ad', season: 'N' }, fixedParams(params, ['alpha', 'beta', 'phi']));
  },
};
