import type { ModelDefinition } from '../model-definition.js';
import { fixedParams, seasonallyAdjustedEs } from './seasonally-adjusted-es.js';
import { ALPHA } from './es-model-shared.js';

/** Simple exponential smoothing, ETS(A,N,N), as R's forecast::ses;
 * on the seasonally adjusted series when a season is found (M3 convention, seasonally-adjusted-es.ts). */
export const simpleExponentialSmoothingModel: ModelDefinition = {
  shrinksSeason: true,
  info: {
    id: 'simple_exponential_smoothing',
    name: 'Simple exponential smoothing',
    description: 'A level that follows the data with weight alpha; flat forecasts. For demand without a trend. Where a season is found, it is fitted to the seasonally adjusted series and reseasonalised (the M3 convention).',
    family: 'exponential smoothing',
    parameters: [ALPHA],
    seasonal: true,
    intermittent: false,
  },
  minLength: () => 3,
  fit(ctx, params) {
    return seasonallyAdjustedEs(ctx, { error: 'A', trend: 'N', season: 'N' }, fixedParams(params, ['alpha']));
  },
};
