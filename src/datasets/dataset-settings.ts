import { defaultForecastSettings, defaultModels, isMethodId, isModelId } from '../forecasting/index.js';
import type { AccuracyMetric, DatasetSettings, Frequency } from './dataset.js';
import type { ValidationDetail } from './dataset-validation-error.js';

/**
 * A dataset's forecasting settings: defaults by frequency, validation that names the field, and
 * which changes alter results (and so re-queue the optimization).
 */
/** The longest run timeout a dataset may set (one day); `skucast worker --run-timeout-s` has the same bound. */
export const maxRunTimeoutS = 86_400;

export const accuracyMetrics: AccuracyMetric[] = ['mae', 'rmse', 'mape', 'smape', 'mase', 'wape'];

/** A horizon that covers a planning cycle at each frequency (the M3 competition's for monthly and coarser). */
const defaultHorizons: Record<Frequency, number> = { daily: 14, weekly: 13, monthly: 12, quarterly: 8, yearly: 6 };

/** The fewest points a model is fitted on (job-planner.ts: a shorter history is too short). */
export const MIN_FIT_POINTS = 4;

/** The history a SKU needs for the dataset's whole holdout: the holdout plus the points to fit on. */
export function minimumHistory(settings: Pick<DatasetSettings, 'holdout'>): number {
  return settings.holdout + MIN_FIT_POINTS;
}

export function defaultDatasetSettings(frequency: Frequency | null): DatasetSettings {
  const horizon = frequency ? defaultHorizons[frequency] : defaultForecastSettings.horizon;
  return {
    horizon,
    holdout: frequency === 'yearly' ? 4 : defaultForecastSettings.holdout,
    models: [...defaultModels],
    method: 'grid',
    metric: defaultForecastSettings.metric as AccuracyMetric,
    intervalLevels: [...defaultForecastSettings.intervalLevels],
    fillGaps: 'zero',
  };
}

/**
 * Settings as read back from a store: the stored JSON over the frequency's defaults. A row keeps
 * the settings of the version that wrote it, so a setting added later (as runTimeoutS was) or a
 * row copied by hand reads with its default instead of as a hole every reader (the job planner,
 * the API's response schema) would have to guess about.
 */
export function storedSettings(frequency: Frequency | null, stored: unknown): DatasetSettings {
  const out: Record<string, unknown> = { ...defaultDatasetSettings(frequency) };
  if (stored && typeof stored === 'object') {
    for (const [key, value] of Object.entries(stored)) {
      if (value !== undefined && (value !== null || !(key in out))) out[key] = value;
    }
  }
  return out as unknown as DatasetSettings;
}

/** Problems with a partial settings object, each naming its field (`settings.models[1]`). */
export function settingsProblems(settings: Partial<DatasetSettings>, prefix = 'settings'): ValidationDetail[] {
  const out: ValidationDetail[] = [];
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  if (settings.horizon !== undefined && !(Number.isInteger(settings.horizon) && settings.horizon >= 1 && settings.horizon <= 1000)) {
    out.push({ path: at('horizon'), message: 'must be an integer from 1 to 1000' });
  }
  if (settings.holdout !== undefined && !(Number.isInteger(settings.holdout) && settings.holdout >= 0 && settings.holdout <= 1000)) {
    out.push({ path: at('holdout'), message: 'must be an integer from 0 to 1000' });
  }
  if (settings.models !== undefined) {
    if (!Array.isArray(settings.models) || settings.models.length === 0) out.push({ path: at('models'), message: 'must list at least one model' });
    else settings.models.forEach((m, i) => {
      if (!isModelId(m)) out.push({ path: `${at('models')}[${i}]`, message: `unknown model '${String(m)}'` });
    });
  }
  if (settings.method !== undefined && !isMethodId(settings.method)) {
    out.push({ path: at('method'), message: `unknown method '${String(settings.method)}' (grid or mle)` });
  }
  if (settings.metric !== undefined && !accuracyMetrics.includes(settings.metric)) {
    out.push({ path: at('metric'), message: `unknown metric '${String(settings.metric)}' (${accuracyMetrics.join(', ')})` });
  }
  if (settings.intervalLevels !== undefined) {
    if (!Array.isArray(settings.intervalLevels) || settings.intervalLevels.length === 0) out.push({ path: at('intervalLevels'), message: 'must list at least one level' });
    else settings.intervalLevels.forEach((l, i) => {
      if (typeof l !== 'number' || !(l > 0 && l < 100)) out.push({ path: `${at('intervalLevels')}[${i}]`, message: 'must be a number between 0 and 100' });
    });
  }
  if (settings.runTimeoutS !== undefined && settings.runTimeoutS !== null
    && !(Number.isInteger(settings.runTimeoutS) && settings.runTimeoutS >= 1 && settings.runTimeoutS <= maxRunTimeoutS)) {
    out.push({ path: at('runTimeoutS'), message: `must be a whole number of seconds from 1 to ${maxRunTimeoutS} (or null for the model family default)` });
  }
  if (settings.fillGaps !== undefined && settings.fillGaps !== 'zero' && settings.fillGaps !== 'report') {
    out.push({ path: at('fillGaps'), message: "must be 'zero' or 'report'" });
  }
  return out;
}

/**
 * Interval levels are a set: [95, 80] and [80, 95] ask for the same bands, and [80, 80] for one
 * (two 80 bands and no 95 otherwise). Sorted and de-duplicated, as models are, so the same set is
 * the same settings and a reordering re-queues nothing.
 */
export function levelSet(levels: number[]): number[] {
  return Array.isArray(levels) ? [...new Set(levels)].sort((a, b) => a - b) : levels;
}

export function mergeSettings(base: DatasetSettings, patch: Partial<DatasetSettings> | undefined): DatasetSettings {
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  merged.models = [...new Set(merged.models)];
  // Levels given are a set (sorted, no repeats); the stored ones stay as they are when the set is
  // the same: a dataset stored with [95, 80] keys its results' input hashes by that order, and
  // re-sorting it would make every SKU's work look unmet and queue the whole dataset again.
  if (patch?.intervalLevels !== undefined) {
    const given = levelSet(patch.intervalLevels);
    merged.intervalLevels = JSON.stringify(levelSet(base.intervalLevels)) === JSON.stringify(given) ? base.intervalLevels : given;
  }
  return merged;
}

/**
 * What a settings change means for the optimization: `all` when every job's input changes
 * (horizon, holdout, method, metric, interval levels), else only the models newly enabled need
 * jobs. Disabling a model changes no result: it only leaves the comparison.
 */
export function settingsChange(before: DatasetSettings, after: DatasetSettings): { all: boolean; addedModels: string[] } {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const all = before.horizon !== after.horizon || before.holdout !== after.holdout || before.method !== after.method
    || before.metric !== after.metric || !same(levelSet(before.intervalLevels), levelSet(after.intervalLevels));
  return { all, addedModels: after.models.filter((m) => !before.models.includes(m)) };
}
