import type { ModelDefinition } from '../model-definition.js';
import { fixedParams, seasonallyAdjustedEs } from './seasonally-adjusted-es.js';
import { ALPHA, BETA, admissibleGrid } from './es-model-shared.js';

/** Holt's linear trend method, ETS(A,A,N), as R's forecast::holt;
 * on the seasonally adjusted series when a season is found (M3 convention, seasonally-adjusted-es.ts). */
export const doubleExponentialSmoothingModel: ModelDefinition = {
  shrinksSeason: true,
  info: {
    id: 'double_exponential_smoothing',
    name: 'Double exponential smoothing (Holt)',
    description: 'A level and a trend, each smoothed; forecasts follow a straight line. For trending demand. Where a season is found, it is fitted to the seasonally adjusted series and reseasonalised (the M3 convention).',
    family: 'exponential smoothing',
    parameters: [ALPHA, BETA],
    seasonal: true,
    intermittent: false,
  },
  minLength: () => 4,
  gridCandidates: () => admissibleGrid([ALPHA, BETA]),
  fit(ctx, params) {
    return seasonallyAdjustedEs(ctx, { error: 'A', trend: 'A', season: 'N' }, fixedParams(params, ['alpha', 'beta']));
  },
};
