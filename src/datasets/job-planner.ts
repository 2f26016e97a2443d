import { createHash } from 'node:crypto';
import { counted } from './counted.js';
import { ENGINE_VERSION, getModel, mayBorrowProfile } from '../forecasting/index.js';
import { priorityForReason, type JobReason } from '../queue/job-state.js';
import type { JobSettings, NewJob } from '../queue/job.js';
import type { Dataset, DatasetSettings, SeriesRecord } from './dataset.js';
import { MIN_FIT_POINTS, minimumHistory, mergeSettings } from './dataset-settings.js';
import { modelHistory } from './model-history.js';

/**
 * One job per SKU x model, with the settings frozen from the dataset so a worker computes exactly
 * what was asked even if the settings change meanwhile.
 *
 * The reuse key, `inputHash`, is the SHA-256 of the JSON array
 *   ["skucast-input/1", engineVersion, sku, modelId, method, {horizon, holdout (the SKU's own: effectiveHoldout), metric,
 *    intervalLevels, frequency}, sha256(JSON [dates, cleanedValues])]
 * i.e. everything a result depends on (the series digest is computed once per SKU). The dates and
 * values are the history the model trains on (modelHistory: without the SKU's trailing provisional
 * periods), so the month to date changing day by day changes no key: the forecast from the last
 * whole period is reused until that period is whole. The SKU is part of it because a result names its SKU; the
 * dataset id is not, so re-importing the same file reuses every result. Any edit, setting or
 * engine version change gives a new key.
 *
 * Except a job that may borrow its dataset's pooled yearly profile (mayBorrowProfile: a seasonal
 * model on a SKU with less than two years): its result depends on the other SKUs' histories too,
 * which this key does not name, so it gets no key (inputHash null) and is never reused; it is
 * computed from the dataset as it is when it runs. An edit of another SKU re-queues nothing: a
 * short SKU's forecast keeps the profile it was made with (the result names its SKUs and date)
 * until its own next plan (its edit, new actuals, a settings change, a re-run).
 */
export interface PlanRequest {
  dataset: Pick<Dataset, 'id' | 'frequency' | 'settings'>;
  series: Array<Pick<SeriesRecord, 'sku' | 'dates' | 'original' | 'edits' | 'provisional'>>;
  models: string[];
  method: string;
  reason: JobReason;
  settings?: Partial<DatasetSettings>;
}

export interface JobPlan {
  jobs: NewJob[];
  /** One entry per job not created (a SKU too short for every model gets one per model). */
  skipped: Array<{ sku: string; reason: string; modelId?: string }>;
}

export function jobSettingsFor(dataset: Pick<Dataset, 'frequency' | 'settings'>, settings: DatasetSettings): JobSettings {
  return {
    horizon: settings.horizon,
    holdout: settings.holdout,
    metric: settings.metric,
    intervalLevels: [...settings.intervalLevels],
    frequency: dataset.frequency,
  };
}

/** SHA-256 of a series' dates and cleaned values: computed once per SKU, shared by its models. */
export function seriesDigest(dates: string[], values: number[]): string {
  return createHash('sha256').update(JSON.stringify([dates, values])).digest('hex');
}

export function inputHash(sku: string, modelId: string, method: string, settings: JobSettings, dates: string[], values: number[], digest = seriesDigest(dates, values)): string {
  const key = JSON.stringify([
    'skucast-input/1', ENGINE_VERSION, sku, modelId, method,
    { horizon: settings.horizon, holdout: settings.holdout, metric: settings.metric, intervalLevels: settings.intervalLevels, frequency: settings.frequency },
    digest,
  ]);
  return createHash('sha256').update(key).digest('hex');
}


/**
 * The holdout a SKU's jobs get: the dataset's, or, for a history shorter than that holdout plus
 * MIN_FIT_POINTS, the largest one the history allows (down to 0: no backtest, no cross-validation,
 * chooseForecast's withoutCrossValidation). A new SKU is forecast on the history it has rather than
 * skipped until it is long enough for the dataset's validation (docs/datasets.md#too-short).
 */
export function effectiveHoldout(length: number, settings: Pick<DatasetSettings, 'holdout'>): number {
  return Math.max(0, Math.min(settings.holdout, length - MIN_FIT_POINTS));
}

/** Whether a SKU of `length` periods is forecast with less than the dataset's holdout. */
export function shortHistory(length: number, settings: Pick<DatasetSettings, 'holdout'>): boolean {
  return length >= MIN_FIT_POINTS && length < minimumHistory(settings);
}

/**
 * Why a history of `length` periods gets no job for `modelId`, or null when it gets one (with
 * effectiveHoldout's holdout): the one rule of "too short" (MIN_FIT_POINTS, then the model's own
 * minimum). planJobs skips by it; the import report's tooShort lists the SKUs it leaves without any job.
 */
export function shortfall(length: number, modelId: string): string | null {
  if (length < MIN_FIT_POINTS) return `history of ${counted(length, 'period')} is too short: needs at least ${MIN_FIT_POINTS}`;
  // Models that cannot fit this history even without seasonality would only fail.
  const need = getModel(modelId)?.minLength(null) ?? 0;
  if (length < need) return `${modelId} needs at least ${counted(need, 'period')}, the history has ${length}`;
  return null;
}

/** The shortest history that gets a job of some of `models` (what tooShort calls `needed`). */
export function shortestForecastable(models: readonly string[]): number {
  return Math.min(...models.map((m) => Math.max(MIN_FIT_POINTS, getModel(m)?.minLength(null) ?? 0)));
}

/**
 * Whether a history of `length` periods gets a job of `modelId` with the dataset's full holdout
 * (the rule before the short-history fallback): a settings change that would leave no SKU long
 * enough for its holdout is refused by it (unforecastableSettings), as every SKU would fall back.
 */
export function fullHoldoutShortfall(length: number, settings: Pick<DatasetSettings, 'holdout'>, modelId: string): string | null {
  const needed = minimumHistory(settings);
  if (length < needed) return `history of ${counted(length, 'period')} is too short: needs at least ${needed} (holdout ${settings.holdout} + 4)`;
  return shortfall(length, modelId);
}

export function planJobs(request: PlanRequest): JobPlan {
  const { dataset, models, method, reason } = request;
  const settings = mergeSettings(dataset.settings, request.settings);
  const jobSettings = jobSettingsFor(dataset, settings);
  const priority = priorityForReason(reason);
  const jobs: NewJob[] = [];
  const skipped: JobPlan['skipped'] = [];
  for (const series of request.series) {
    const { dates, values } = modelHistory(series);
    let digest: string | undefined;
    // A history too short for the dataset's holdout gets the largest one it allows, in its settings
    // and so in its input hash: the result is keyed by the holdout it was made with.
    const holdout = effectiveHoldout(values.length, settings);
    const skuSettings = holdout === jobSettings.holdout ? jobSettings : { ...jobSettings, holdout };
    for (const modelId of models) {
      const why = shortfall(values.length, modelId);
      if (why !== null) {
        skipped.push({ sku: series.sku, modelId, reason: why });
        continue;
      }
      digest ??= seriesDigest(dates, values);
      const borrows = mayBorrowProfile(getModel(modelId)?.info, dataset.frequency, values.length);
      jobs.push({
        datasetId: dataset.id,
        sku: series.sku,
        modelId,
        method,
        reason,
        priority,
        settings: skuSettings,
        inputHash: borrows ? null : inputHash(series.sku, modelId, method, skuSettings, dates, values, digest),
      });
    }
  }
  return { jobs, skipped };
}
