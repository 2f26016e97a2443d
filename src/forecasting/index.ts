/**
 * The forecasting engine's public API: what the worker, the API and the CLI import. Everything
 * here is pure (no I/O) and deterministic.
 */
import type { ForecastSettings, MethodId, MethodInfo, ModelInfo } from './forecast-types.js';
import { models, getModel } from './model-registry.js';

export * from './forecast-types.js';
export type { ModelDefinition, FittedModel, SeriesContext, ParameterValues } from './model-definition.js';
export { InputDataError } from './forecast-types.js';
export { runForecast, ENGINE_VERSION, MAX_ABS_VALUE } from './run-forecast.js';
export { forecastSku } from './seasonal-profile/forecast-sku.js';
export { pooledSeasonalProfile, poolSlotIndices, slotIndicesThrough, profileSlots, calendarSlot, oneYearBefore, mayBorrowProfile, MIN_POOLED_SKUS } from './seasonal-profile/seasonal-profile.js';
export type { ProfileSeries } from './seasonal-profile/seasonal-profile.js';
export { frequencyFromGaps, inferFrequency, seasonalPeriodFor, futureDates, isFrequency } from './frequency.js';
export { mae, rmse, mape, smape, mase, wape, bias, accuracyMetrics } from './metrics.js';
export { seasonalityTest, classicalDecomposition } from './decomposition.js';
export { normalQuantile } from './distributions.js';
export { getModel } from './model-registry.js';
export { chooseForecast } from './choose-forecast.js';
export { inactiveRun, inactiveText, INACTIVE_CHANCE, NO_SPREAD_CHANCE } from './inactive-demand.js';
export type { InactiveRun } from './inactive-demand.js';
export type { ChoiceCandidate, ChoiceRule, ForecastChoice } from './choose-forecast.js';

export const defaultForecastSettings: ForecastSettings = {
  horizon: 12,
  holdout: 6,
  metric: 'mae',
  intervalLevels: [80, 95],
};

/**
 * The models a new dataset enables by default; each costs one job per SKU, so the list stays at
 * five: the ensemble (the most accurate automatic forecast), ETS (an automatically chosen,
 * interpretable form, seasonal where the data are), the damped trend (a robust single model),
 * the seasonal naive (the benchmark every other model should beat) and Croston (intermittent demand).
 */
export const defaultModels: string[] = [
  'ensemble',
  'ets',
  'damped_trend',
  'seasonal_naive',
  'croston',
].filter((id) => getModel(id) !== undefined);

const METHODS: MethodInfo[] = [
  {
    id: 'grid',
    name: 'Grid search',
    description: 'Tries every value combination of the model\'s grid, scores each on the holdout by rolling-origin forecasts, keeps the best by the chosen metric and refits it on the full history.',
  },
  {
    id: 'mle',
    name: 'Estimation (MLE)',
    description: 'The model estimates its parameters and initial states from the whole history by minimising squared one-step errors (likelihood), as R\'s forecast package does.',
  },
];

export function listModels(): ModelInfo[] {
  return models.map((m) => m.info);
}

export function listMethods(): MethodInfo[] {
  return METHODS.slice();
}

export function isModelId(id: unknown): id is string {
  return typeof id === 'string' && getModel(id) !== undefined;
}

export function isMethodId(id: unknown): id is MethodId {
  return id === 'grid' || id === 'mle';
}
