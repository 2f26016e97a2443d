import type { Job } from '../queue/job.js';
import type { SeriesRecord } from '../datasets/dataset.js';
import { modelHistory } from '../datasets/model-history.js';
import { cleanedValues } from '../datasets/series-values.js';
import {
  defaultForecastSettings, InputDataError, isFrequency, isMethodId,
  type ForecastInput, type Metric,
} from '../forecasting/index.js';

export { cleanedValues };

const metrics: readonly Metric[] = ['mae', 'rmse', 'mape', 'smape', 'mase', 'wape'];

/**
 * Builds the engine's input from a job (model, method and the settings frozen at enqueue) and
 * its series. Settings a job does not carry take the engine's defaults; a setting that cannot be
 * right is a data problem the planner must fix, so it fails the job at once (InputDataError).
 * The history is the one the job's input hash names (modelHistory): without the SKU's trailing
 * provisional periods, so the forecast starts at the month to date rather than training on it.
 */
export function forecastInputFor(job: Job, series: SeriesRecord): ForecastInput {
  const s = job.settings ?? {};
  if (!isMethodId(job.method)) {
    throw new InputDataError(`Job ${job.id} asks for tuning method '${job.method}'; use 'grid' or 'mle'.`);
  }
  const metric = s.metric ?? defaultForecastSettings.metric;
  if (!metrics.includes(metric as Metric)) {
    throw new InputDataError(`Job ${job.id} asks for accuracy metric '${String(metric)}'; use one of ${metrics.join(', ')}.`);
  }
  const frequency = s.frequency;
  if (frequency !== undefined && !isFrequency(frequency)) {
    throw new InputDataError(`Job ${job.id} has frequency '${String(frequency)}'; use daily, weekly, monthly, quarterly or yearly.`);
  }
  const { dates, values } = modelHistory(series);
  return {
    sku: job.sku,
    values,
    dates,
    frequency,
    modelId: job.modelId,
    method: job.method,
    settings: {
      horizon: positiveInt(s.horizon, defaultForecastSettings.horizon),
      holdout: nonNegativeInt(s.holdout, defaultForecastSettings.holdout),
      metric: metric as Metric,
      intervalLevels: Array.isArray(s.intervalLevels) && s.intervalLevels.length > 0
        ? s.intervalLevels
        : defaultForecastSettings.intervalLevels,
    },
  };
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function nonNegativeInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}
