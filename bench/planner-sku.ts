import { defaultDatasetSettings } from '../src/datasets/dataset-settings.js';
import { forecastItem } from '../src/datasets/dataset-forecasts.js';
import type { ModelResult } from '../src/datasets/dataset.js';
import type { ChoiceRule, ForecastResult, Frequency } from '../src/forecasting/index.js';
import { forecastSku as forecastWithProfiles } from '../src/forecasting/index.js';
import type { Job } from '../src/queue/job.js';
import { forecastInputFor } from '../src/worker/forecast-input.js';

/**
 * One SKU as the app forecasts it, for bench:planner, bench:m3 and the accuracy gate in npm test: the
 * dataset defaults for its frequency (only the horizon set), the job input the worker builds,
 * forecastSku (the worker's entry: runForecast, with yearly profiles where they apply) for every default model, and the choice the app shows (forecastItem).
 */

export interface M3Series {
  id: string;
  period: string;
  frequency: number;
  horizon: number;
  train: number[];
  test: number[];
}

export interface SkuForecast {
  mean: number[];
  lower80: number[] | null;
  upper80: number[] | null;
  lower95: number[] | null;
  upper95: number[] | null;
}

/**
 * The history a planner has: the last `months` months, `quarters` quarters or `weeks` weeks of the
 * training part (weekly only for bench:heldout, whose held-out sets include weekly series).
 */
export function plannerHistory(s: Pick<M3Series, 'frequency' | 'train'>, months = 36, quarters = 12, weeks = 104): { frequency: Frequency; train: number[] } {
  const frequency: Frequency = s.frequency === 12 ? 'monthly' : s.frequency === 52 ? 'weekly' : 'quarterly';
  const keep = frequency === 'monthly' ? months : frequency === 'weekly' ? weeks : quarters;
  return { frequency, train: s.train.slice(Math.max(0, s.train.length - keep)) };
}

/** Dates from an arbitrary fixed period (years, quarters, months or weeks), so the upload looks like a planner's CSV. */
export function datesFor(n: number, frequency: Frequency): string[] {
  if (frequency === 'weekly') {
    const start = Date.UTC(2020, 0, 6); // a Monday
    return Array.from({ length: n }, (_, i) => new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10));
  }
  const step = frequency === 'yearly' ? 12 : frequency === 'quarterly' ? 3 : 1;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = 2020 * 12 + i * step;
    out.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`);
  }
  return out;
}

/**
 * Every default model's result and the app's choice for one SKU, from its training values only.
 * `extraModels` (bench/choice-dump.ts --extra) are fitted the same way into `extras`, outside the choice;
 * 'model@method' runs a model with another tuning method.
 */
export function forecastSku(id: string, train: number[], frequency: Frequency, horizon: number, rule: ChoiceRule | undefined, extraModels: readonly string[] = []) {
  const settings = { ...defaultDatasetSettings(frequency), horizon };
  const series = { datasetId: 'bench', sku: id, dates: datesFor(train.length, frequency), original: train, edits: {}, length: train.length, volume: 0, demandClass: 'smooth', updatedAt: 0 };
  const results: ModelResult[] = [];
  const failures: Record<string, string> = {};
  const extras: ModelResult[] = [];
  [...settings.models, ...extraModels].forEach((modelId, k) => {
    const extra = k >= settings.models.length;
    // An extra 'model@method' runs that model with that method.
    const [modelName, methodOverride] = modelId.split('@');
    const method = methodOverride ?? settings.method;
    const job = { id: k + 1, sku: id, datasetId: 'bench', modelId: modelName, method, settings: { ...settings, method, frequency } } as unknown as Job;
    try {
      const result = forecastWithProfiles(forecastInputFor(job, series as never));
      (extra ? extras : results).push({ sku: id, modelId, method, jobId: k + 1, finishedAt: 0, result } as ModelResult);
    } catch (e) {
      failures[modelId] = e instanceof Error ? e.message : String(e);
    }
  });
  const item = forecastItem(id, { settings }, results, undefined, rule);
  const models: Record<string, SkuForecast> = {};
  for (const r of results) {
    const fr = r.result as ForecastResult;
    const band = (level: number) => fr.forecast.intervals.find((b) => b.level === level) ?? null;
    models[r.modelId] = { mean: fr.forecast.mean, lower80: band(80)?.lower ?? null, upper80: band(80)?.upper ?? null, lower95: band(95)?.lower ?? null, upper95: band(95)?.upper ?? null };
  }
  return { models, choice: item.forecast, chosen: item.bestModel, failures, defaults: settings.models, results, extras };
}

