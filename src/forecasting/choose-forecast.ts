import type { ForecastResult, IntervalBand, Metric } from './forecast-types.js';
import { mae, mape, rmse, smape, wape } from './metrics.js';

/**
 * The per-SKU choice the app shows, from the results of the SKU's enabled models: the one
 * function the app (src/datasets) and bench:planner both call.
 *
 * The models are ranked by their rolling-origin cross-validation error (forecasts made from data
 * before each origin only, cross-validation.ts; every model of a SKU is scored on the same points).
 * The default rule, `top3`, forecasts the equal-weight mean of the three best (of all, when fewer
 * are enabled): on short histories the ranking is noisy, and pooling the good models beats picking
 * one (Kourentzes et al. 2019). It was chosen on validation origins cut from M3's training data
 * (bench:planner --validate: top3 13.60 sMAPE; the single best by CV 14.11, best of singles and
 * top-2/3 means 13.88, the ensemble alone 14.02), never on the test periods. `best` (the lowest CV
 * error among singles and top-2/3 means), `top2` stay for such comparisons. Results without
 * cross-validation (engines before 1.4, or histories too short to hold out anything) fall back to
 * the lowest holdout error, as before.
 */

export interface ChoiceCandidate {
  modelId: string;
  result: ForecastResult;
}

export interface ForecastChoice {
  /** The model, or the members joined by '+' for a combination. */
  label: string;
  members: string[];
  /** One sentence for the planner: how this forecast was chosen. */
  how: string;
  /** The error of the choice by the metric (cross-validation mean, or holdout). */
  error: number | null;
  forecast: { dates: string[]; mean: number[]; intervals: IntervalBand[] };
  backtest: { dates: string[]; actual: number[]; forecast: number[] } | null;
}

export type ChoiceRule = 'best' | 'combos' | 'top3' | 'top2';

/** An error by the metric over one origin's points; MASE ranks as MAE (its scale is the same for every candidate). */
function pointError(metric: Metric, actual: number[], forecast: number[]): number | null {
  switch (metric) {
    case 'rmse': return rmse(actual, forecast);
    case 'mape': return mape(actual, forecast);
    case 'smape': return smape(actual, forecast);
    case 'wape': return wape(actual, forecast);
    default: return mae(actual, forecast);
  }
}

function meanOf(rows: number[][]): number[] {
  return rows[0].map((_, i) => rows.reduce((a, r) => a + r[i], 0) / rows.length);
}

function holdoutError(result: ForecastResult, metric: Metric): number | null {
  const v = (result.holdout?.metrics as unknown as Record<string, number | null> | null)?.[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The combined forecast of some candidates: the mean of their means, and of their bounds per level (quantile averaging). */
function combined(members: ChoiceCandidate[]): Pick<ForecastChoice, 'forecast' | 'backtest'> {
  const first = members[0].result;
  const mean = meanOf(members.map((m) => m.result.forecast.mean));
  const intervals = first.forecast.intervals.map((band, k) => ({
    level: band.level,
    lower: meanOf(members.map((m) => m.result.forecast.intervals[k]?.lower ?? band.lower)).map((v, i) => Math.min(v, mean[i])),
    upper: meanOf(members.map((m) => m.result.forecast.intervals[k]?.upper ?? band.upper)).map((v, i) => Math.max(v, mean[i])),
  }));
  const backtest = first.holdout.length > 0 && members.every((m) => m.result.holdout.forecast.length === first.holdout.length)
    ? { dates: first.holdout.dates, actual: first.holdout.actual, forecast: meanOf(members.map((m) => m.result.holdout.forecast)) }
    : null;
  return { forecast: { dates: first.forecast.dates, mean, intervals }, backtest };
}

function single(c: ChoiceCandidate, how: string, error: number | null): ForecastChoice {
  return { label: c.modelId, members: [c.modelId], how, error, ...combined([c]) };
}

/** Candidates in the order the models are enabled (ties go to the earlier). */
export function chooseForecast(candidates: ChoiceCandidate[], metric: Metric, rule: ChoiceRule = 'top3'): ForecastChoice | null {
  if (candidates.length === 0) return null;
  const horizon = candidates[0].result.forecast.mean.length;
  const usable = candidates.filter((c) => c.result.forecast.mean.length === horizon && c.result.forecast.intervals.length === candidates[0].result.forecast.intervals.length);
  const withCv = usable.filter((c) => c.result.cv && c.result.cv.forecast.length > 0 && c.result.cv.forecast.every((f) => f !== null));
  const origins = withCv[0]?.result.cv?.origins;
  const aligned = origins ? withCv.filter((c) => JSON.stringify(c.result.cv!.origins) === JSON.stringify(origins)) : [];
  if (aligned.length === 0) {
    let best: ChoiceCandidate | null = null;
    let bestError = Infinity;
    for (const c of usable.length ? usable : candidates) {
      const e = holdoutError(c.result, metric) ?? Infinity;
      if (best === null || e < bestError) { best = c; bestError = e; }
    }
    return single(best!, 'lowest holdout error (no cross-validation: the history is too short to hold out several origins)', Number.isFinite(bestError) ? bestError : null);
  }
  const actual = aligned[0].result.cv!.actual;
  const score = (members: ChoiceCandidate[]): number => {
    let s = 0;
    for (let k = 0; k < actual.length; k++) {
      const f = meanOf(members.map((m) => m.result.cv!.forecast[k]!));
      const e = pointError(metric, actual[k], f) ?? mae(actual[k], f);
      s += e;
    }
    return s / actual.length;
  };
  const ranked = aligned.map((c) => ({ members: [c], error: score([c]) }))
    .sort((a, b) => a.error - b.error);
  const top = ranked.map((r) => r.members[0]);
  const options: { members: ChoiceCandidate[]; error: number }[] = [];
  if (rule === 'best') options.push(...ranked);
  for (const k of [2, 3]) {
    if (rule === 'top2' && k !== 2) continue;
    if (rule === 'top3' && k !== Math.min(3, top.length)) continue;
    if (top.length < k) continue;
    const members = top.slice(0, k);
    options.push({ members, error: score(members) });
  }
  if (options.length === 0) options.push(ranked[0]);
  let best = options[0];
  for (const o of options) if (o.error < best.error) best = o;
  // Members in the order the models are enabled, so one combination always has one label.
  best = { ...best, members: best.members.slice().sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b)) };
  const n = origins!.length;
  const label = best.members.map((m) => m.modelId).join('+');
  const cvText = `rolling-origin cross-validation (${n} origin${n === 1 ? '' : 's'}, each tuned on the data before it)`;
  const how = best.members.length > 1
    ? `mean of the ${best.members.length} models with the lowest error in ${cvText}: ${best.members.map((m) => m.modelId).join(', ')}`
    : `lowest error in ${cvText} among ${aligned.length} models`;
  return { label, members: best.members.map((m) => m.modelId), how, error: best.error, ...combined(best.members) };
}
