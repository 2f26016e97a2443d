import { runForecast } from '../src/forecasting/index.js';
import type { Frequency, MethodId } from '../src/forecasting/index.js';
import { forecastSku, type M3Series, type SkuForecast } from './planner-sku.js';

/**
 * The forecasts bench:m3 scores for one M3 series, made from its training part alone (the type has
 * no test values to read): the app's per-SKU choice with every default model as the app runs it
 * (forecastSku of planner-sku.ts), or one model alone through runForecast with holdout 0.
 */

export type M3Training = Omit<M3Series, 'test'>;

export type M3Mode = 'choice' | 'model';

export interface M3Forecasts {
  frequency: Frequency;
  /** "choice" and each default model (choice mode), or "model" (model mode). */
  forecasts: Record<string, SkuForecast>;
  chosen: string | null;
  failures: Record<string, string>;
}

/**
 * M3 frequency -> the app's frequency. 1 is both yearly and "other" (series of other or
 * unstated frequency, treated by the competition as non-seasonal): the app's yearly, its only frequency without a season.
 */
export function m3Frequency(frequency: number): Frequency {
  const map: Record<number, Frequency> = { 1: 'yearly', 4: 'quarterly', 12: 'monthly', 52: 'weekly', 7: 'daily' };
  return map[frequency] ?? 'yearly';
}

export function forecastM3(s: M3Training, mode: M3Mode, model = 'ensemble', method: MethodId = 'mle'): M3Forecasts {
  const frequency = m3Frequency(s.frequency);
  if (mode === 'model') {
    const r = runForecast({
      sku: s.id, values: s.train, frequency, modelId: model, method,
      settings: { horizon: s.horizon, holdout: 0, metric: 'smape', intervalLevels: [80, 95] },
    });
    const band = (level: number) => r.forecast.intervals.find((b) => b.level === level) ?? null;
    const f = { mean: r.forecast.mean, lower80: band(80)?.lower ?? null, upper80: band(80)?.upper ?? null, lower95: band(95)?.lower ?? null, upper95: band(95)?.upper ?? null };
    return { frequency, forecasts: { model: f }, chosen: null, failures: {} };
  }
  const out = forecastSku(s.id, s.train, frequency, s.horizon, undefined);
  if (!out.choice) throw new Error(`no choice (model failures ${JSON.stringify(out.failures)})`);
  return { frequency, forecasts: { choice: out.choice, ...out.models }, chosen: out.chosen, failures: out.failures };
}
