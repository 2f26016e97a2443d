import type { Metric } from './forecast-types.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { mae, mape, mase, rmse, smape, wape } from './metrics.js';
import { seasonalPeriodFor } from './frequency.js';

/**
 * The two tuning methods. `grid` scores every candidate of the model's grid by rolling-origin
 * forecasts over the holdout and keeps the best by the chosen metric; `mle` lets the model
 * estimate its own parameters. Both only choose parameters: the caller refits and reports.
 */

export function gridCandidates(def: ModelDefinition, ctx: SeriesContext, shortestTrain = ctx.y.length): ParameterValues[] {
  if (def.gridCandidates) return def.gridCandidates(ctx, shortestTrain);
  let out: ParameterValues[] = [{}];
  for (const p of def.info.parameters) {
    const next: ParameterValues[] = [];
    for (const c of out) for (const v of p.grid) next.push({ ...c, [p.name]: v });
    out = next;
  }
  return out;
}

/** The metric value, or null where it is undefined for these actuals (MAPE with a zero actual...). */
export function scoreMetric(metric: Metric, actual: number[], forecast: number[], insample: number[], period: number): number | null {
  switch (metric) {
    case 'mae': return mae(actual, forecast);
    case 'rmse': return rmse(actual, forecast);
    case 'mape': return mape(actual, forecast);
    case 'smape': return smape(actual, forecast);
    case 'mase': return mase(actual, forecast, insample, period);
    case 'wape': return wape(actual, forecast);
  }
}

/** Training-set ends for rolling-origin evaluation: the holdout origin, then up to two earlier ones. */
export function rollingOrigins(n: number, holdout: number, minTrain: number, count = 3): number[] {
  const step = Math.max(1, Math.floor(holdout / 2));
  const origins: number[] = [];
  for (let k = 0; k < count; k++) {
    const o = n - holdout - k * step;
    if (o >= minTrain) origins.push(o);
  }
  return origins;
}

export interface GridSearchResult {
  params: ParameterValues | null;
  candidatesEvaluated: number;
  /** Set when the requested metric was undefined on these actuals and MAE decided instead. */
  metricFallback: Metric | null;
}

export interface GridSearchOptions {
  y: number[];
  ctx: Omit<SeriesContext, 'y'>;
  holdout: number;
  metric: Metric;
  /** Applied to every holdout forecast before scoring (e.g. clipping at 0). */
  adjust: (mean: number[]) => number[];
  onProgress?: (fraction: number) => void;
  /** How many rolling origins score each candidate (default 3). */
  origins?: number;
  /**
   * Raw holdout forecasts (null: the fit failed) by training length, period, holdout and
   * candidate, shared by the searches of one runForecast: the same fit on the same data gives the
   * same forecast, and the full history's earliest grid origin is often the inner origin of the
   * latest cross-validation origin. Only for searches over prefixes of one series.
   */
  fits?: GridFits;
}

/** Raw holdout forecasts by training length, period and holdout, then by candidate (candidateKey). */
export type GridFits = Map<string, Map<string, number[] | null>>;

/**
 * A candidate's key in GridFits: its JSON, kept per candidate object, so a model whose grid is one
 * fixed list (the damped trend's) makes each key once and the maps hash the same strings.
 */
const candidateKeys = new WeakMap<ParameterValues, string>();
function candidateKey(c: ParameterValues): string {
  let key = candidateKeys.get(c);
  if (key === undefined) { key = JSON.stringify(c); candidateKeys.set(c, key); }
  return key;
}

export function gridSearch(def: ModelDefinition, opts: GridSearchOptions): GridSearchResult {
  const { y, holdout, metric } = opts;
  const n = y.length;
  const origins = holdout > 0 ? rollingOrigins(n, holdout, def.minLength(opts.ctx.period), opts.origins) : [];
  const candidates = gridCandidates(def, { ...opts.ctx, y }, origins.length > 0 ? origins[origins.length - 1] : n);
  if (candidates.length === 0) return { params: null, candidatesEvaluated: 0, metricFallback: null };
  if (origins.length === 0 || candidates.length === 1) {
    opts.onProgress?.(1);
    return { params: candidates[0], candidatesEvaluated: candidates.length, metricFallback: null };
  }
  // Windows only score candidates: the caller refits the chosen one on the whole history.
  const trains = origins.map((o) => ({ ...opts.ctx, y: y.slice(0, o), scoring: true }));
  const trainFits = trains.map((train) => {
    if (!opts.fits) return null;
    // No tolerance in the key: every search's windows are scoring fits (above), so two searches
    // over the same window fit it alike.
    const key = `${train.y.length}|${train.period}|${holdout}`;
    let byCandidate = opts.fits.get(key);
    if (!byCandidate) { byCandidate = new Map(); opts.fits.set(key, byCandidate); }
    return byCandidate;
  });
  const actual: number[] = [];
  for (const o of origins) for (let i = o; i < o + holdout; i++) actual.push(y[i]);
  const insample = y.slice(0, origins[origins.length - 1]);
  // MASE is scaled by the calendar's period, as runForecast reports it, whatever seasonality the model uses.
  const period = seasonalPeriodFor(opts.ctx.frequency);
  let useMetric: Metric = metric;
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  const scores: number[] = [];
  const forecasts: number[][] = [];
  for (let c = 0; c < candidates.length; c++) {
    const forecast: number[] = [];
    const key = opts.fits ? candidateKey(candidates[c]) : '';
    for (let o = 0; o < trains.length; o++) {
      const train = trains[o];
      const fits = trainFits[o];
      let raw = fits?.get(key);
      if (raw === undefined) {
        let fitted: FittedModel | null = null;
        try {
          fitted = def.fit(train, candidates[c]);
        } catch {
          fitted = null;
        }
        raw = fitted ? fitted.forecast(holdout, []).mean : null;
        fits?.set(key, raw);
      }
      if (raw === null) {
        forecast.length = 0;
        break;
      }
      for (const v of opts.adjust(raw)) forecast.push(v);
    }
    forecasts.push(forecast);
    let score = forecast.length === actual.length ? scoreMetric(useMetric, actual, forecast, insample, period) : Number.POSITIVE_INFINITY;
    if (score === null) {
      // Undefined for these actuals, so for every candidate: rescore all so far by MAE.
      useMetric = 'mae';
      for (let k = 0; k < c; k++) scores[k] = forecasts[k].length === actual.length ? mae(actual, forecasts[k]) : Number.POSITIVE_INFINITY;
      best = 0;
      bestScore = Number.POSITIVE_INFINITY;
      for (let k = 0; k < c; k++) if (scores[k] < bestScore) { bestScore = scores[k]; best = k; }
      score = mae(actual, forecast);
    }
    if (!Number.isFinite(score)) score = Number.POSITIVE_INFINITY;
    scores.push(score);
    if (score < bestScore) { bestScore = score; best = c; }
    opts.onProgress?.((c + 1) / candidates.length);
  }
  return { params: candidates[best], candidatesEvaluated: candidates.length, metricFallback: useMetric !== metric ? 'mae' : null };
}
