import type { AccuracyMetrics, CrossValidation, IntervalBand, Metric, MethodId } from './forecast-types.js';
import type { ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { accuracyMetrics } from './metrics.js';
import { type GridFits, gridSearch } from './parameter-search.js';

/**
 * Rolling-origin cross-validation: how a model forecasts from several past points of the
 * history, each time tuned (grid or mle alike) and fitted only on the data before that origin,
 * with the seasonality decided on that data too. The origins depend only on the history's length,
 * the holdout and the horizon, never on the model, so every model of one SKU is scored on the same
 * points and a combination of models can be scored from its members' forecasts.
 */

/** The shortest training set an origin leaves: enough for every default model's non-seasonal form. */
export const MIN_CV_TRAIN = 6;

/** The grid at each origin is scored on one inner holdout (the full-history search uses three): the CPU budget. */
const INNER_ORIGINS = 1;

/** More origins on short histories, where fits are cheap and one origin says little; fewer on long ones. */
export function originBudget(n: number): number {
  if (n <= 60) return 4;
  if (n <= 150) return 3;
  return 2;
}

/**
 * Training lengths: the holdout origin (n - holdout), then earlier ones `step` apart while they
 * leave MIN_CV_TRAIN points; when the history has fewer such, later origins (forecasting the few
 * points left) fill the budget. Ascending.
 */
export function cvOrigins(n: number, holdout: number): number[] {
  if (holdout <= 0 || n - holdout < MIN_CV_TRAIN) return [];
  const budget = originBudget(n);
  // Half a holdout apart, closer where the history cannot hold the budget that way (12 quarters).
  const step = Math.max(1, Math.min(Math.floor(holdout / 2), Math.floor((n - holdout - MIN_CV_TRAIN) / (budget - 1))));
  const out: number[] = [];
  for (let o = n - holdout; o >= MIN_CV_TRAIN && out.length < budget; o -= step) out.push(o);
  for (let o = n - holdout + step; o < n && out.length < budget; o += step) out.push(o);
  return out.sort((a, b) => a - b);
}

export interface CrossValidateOptions {
  y: number[];
  frequency: SeriesContext['frequency'];
  /** The calendar's period, which scales MASE. */
  calendarPeriod: number;
  method: MethodId;
  holdout: number;
  horizon: number;
  metric: Metric;
  levels: number[];
  /** The seasonal period the model would use on this history (the same rule as on the full history). */
  periodFor: (values: number[]) => number | null;
  /**
   * Applied to every forecast of an origin before scoring, given that origin's training data
   * (clipping at 0 where that data has no negative value): decided on the data before the origin
   * only, as every other choice is.
   */
  adjust: (xs: number[], train: number[]) => number[];
  /** Applied to every origin's bands (not the inner search's), as adjust to its mean: the bands the app would show there. */
  adjustBands?: (bands: IntervalBand[], train: number[]) => IntervalBand[];
  /** Grid fits shared with the full history's search (GridSearchOptions.fits). */
  gridFits?: GridFits;
}

export function crossValidate(def: ModelDefinition, opts: CrossValidateOptions): CrossValidation | null {
  const { y } = opts;
  const n = y.length;
  const origins = cvOrigins(n, opts.holdout);
  if (origins.length === 0) return null;
  const hasParams = def.info.parameters.some((p) => p.grid.length > 0) || def.gridCandidates !== undefined;
  const bands: (IntervalBand[] | null)[] = [];
  const cv: CrossValidation = { origins, actual: [], forecast: [], bands, tuning: opts.method, metrics: null };
  const perOrigin: AccuracyMetrics[] = [];
  // One MASE scale lag for every origin: the calendar's season where even the earliest origin's
  // history holds a season and a point, else lag 1 (naiveScale would mix the two across origins).
  const maseLag = origins[0] > opts.calendarPeriod ? opts.calendarPeriod : 1;
  for (const o of origins) {
    const h = Math.min(opts.horizon, n - o);
    const train = y.slice(0, o);
    const actual = y.slice(o, o + h);
    cv.actual.push(actual);
    let period = opts.periodFor(train);
    if (o < def.minLength(period)) period = null;
    const ctx: SeriesContext = { y: train, period, frequency: opts.frequency, scoring: true };
    if (o < def.minLength(period)) {
      cv.forecast.push(null);
      bands.push(null);
      continue;
    }
    try {
      let params: ParameterValues | null = null;
      if (opts.method === 'grid' && hasParams) {
        const inner = Math.min(opts.holdout, o - def.minLength(period));
        if (inner > 0) params = gridSearch(def, { y: train, ctx: { period, frequency: opts.frequency, scoring: true }, holdout: inner, metric: opts.metric, adjust: (xs) => opts.adjust(xs, train), origins: INNER_ORIGINS, fits: opts.gridFits }).params;
      }
      const fc = def.fit(ctx, params).forecast(h, opts.levels);
      const mean = opts.adjust(fc.mean, train);
      if (!mean.every(Number.isFinite) || fc.intervals.some((b) => !b.lower.every(Number.isFinite) || !b.upper.every(Number.isFinite))) throw new Error('non-finite');
      cv.forecast.push(mean);
      const raw = fc.intervals.map((b) => ({ level: b.level, lower: b.lower, upper: b.upper }));
      bands.push(opts.adjustBands ? opts.adjustBands(raw, train) : raw);
      perOrigin.push(accuracyMetrics(actual, mean, train, maseLag));
    } catch {
      // A model that cannot fit this origin's data has no forecast there; the choice skips it.
      cv.forecast.push(null);
      bands.push(null);
    }
  }
  cv.metrics = averageMetrics(perOrigin);
  return cv;
}

/** The mean of each metric over the origins; null where any origin's is undefined. */
export function averageMetrics(list: AccuracyMetrics[]): AccuracyMetrics | null {
  if (list.length === 0) return null;
  const avg = (key: keyof AccuracyMetrics): number | null => {
    let s = 0;
    for (const m of list) {
      const v = m[key];
      if (v === null || !Number.isFinite(v)) return null;
      s += v;
    }
    return s / list.length;
  };
  return {
    mae: avg('mae') ?? Number.NaN, rmse: avg('rmse') ?? Number.NaN, mape: avg('mape'), smape: avg('smape') ?? Number.NaN,
    mase: avg('mase'), wape: avg('wape'), bias: avg('bias') ?? Number.NaN,
  };
}

/** Pseudo-observations pulling a calibration factor towards 1 (the model's own width) on few CV points. */
export const CALIBRATION_PRIOR = 10;

/**
 * Per interval level, the factor that scales the model's half-widths (about its mean) so they
 * cover the cross-validation errors at that level: split-conformal on the ratios |error| /
 * half-width (the half on the error's side), rank ceil((N + 1) level / 100), shrunk towards 1 in
 * log space with weight N / (N + CALIBRATION_PRIOR), never below 1. null where fewer than 6 points are available.
 * Where (N + 1) level / 100 > N (95% on fewer than 19 points) the conformal quantile is unbounded:
 * the largest ratio stands in, so such intervals can under-cover (docs/forecasting.md).
 */
/**
 * A half-width is no spread at all when it is at most NO_SPREAD of the upper quartile of the
 * model's half-widths (same level, every origin and step) or at most NO_SPREAD_LEVEL of the
 * forecast's (or the actual's) size: far below any real band, above an exact fit's rounding
 * (5e-6 of the level where the other origins' were about 1 to 20). The first alone misses a model
 * that fits three origins of four exactly (the quartile is rounding too); the second alone, at
 * 1e-4, took a high-volume series with little noise (level 50,000, half-width 3.8) for one.
 */
const NO_SPREAD = 1e-4;
const NO_SPREAD_LEVEL = 1e-5;

/**
 * How far calibration may widen a band, per level: CALIBRATION_CAP times the cross-validation
 * |errors|' quantile at the conformal rank (a ratio of errors to tiny bands can be any size; the
 * errors themselves say how wide the band needs to be). A widened half-width stays at least the
 * model's own (run-forecast.ts). null where calibrationFactors is. On validation origins of M3's
 * training data (bench:planner --validate, all 2,184) the cap moves the choice's coverage from
 * 80.45% / 95.52% (none) to 80.28% / 95.40% (3; 2: 80.03% / 95.28%); on 30 months repeating 10,
 * 11, 12 then 6 at 40-42 it takes the ensemble's 80% upper bound from 530,430 to about 130.
 */
const CALIBRATION_CAP = 3;

export function calibrationCaps(cv: CrossValidation, levels: number[]): number[] | null {
  const errors: number[] = [];
  for (let k = 0; k < cv.origins.length; k++) {
    const f = cv.forecast[k];
    if (!f) continue;
    for (let i = 0; i < f.length; i++) {
      const e = Math.abs(cv.actual[k][i] - f[i]);
      if (Number.isFinite(e)) errors.push(e);
    }
  }
  if (errors.length < 6) return null;
  errors.sort((a, b) => a - b);
  return levels.map((level) => CALIBRATION_CAP * errors[Math.min(errors.length, Math.ceil(((errors.length + 1) * level) / 100)) - 1]);
}

export function calibrationFactors(cv: CrossValidation, levels: number[]): number[] | null {
  const pairs: Array<Array<{ e: number; half: number; size: number }>> = levels.map(() => []);
  for (let k = 0; k < cv.origins.length; k++) {
    const f = cv.forecast[k];
    const bands = cv.bands?.[k];
    if (!f || !bands) continue;
    for (let i = 0; i < f.length; i++) {
      const e = cv.actual[k][i] - f[i];
      levels.forEach((level, j) => {
        const b = bands.find((x) => x.level === level);
        if (!b) return;
        const size = Math.max(Math.abs(f[i]), Math.abs(cv.actual[k][i]));
        pairs[j].push({ e, half: e >= 0 ? b.upper[i] - f[i] : f[i] - b.lower[i], size });
      });
    }
  }
  const ratios = pairs.map((list) => {
    const halves = list.map((p) => p.half).filter((h) => h > 0).sort((a, b) => a - b);
    const quartile = halves.length > 0 ? NO_SPREAD * halves[Math.floor((halves.length * 3) / 4)] : 0;
    // A zero-width band the actual left is an exceedance no factor can cover: it counts (as an
    // infinite ratio) rather than vanishing, which would narrow the calibrated band. So does a
    // band whose width is rounding (a season fitted exactly, e.g. 24 months repeating 10, 11, 12):
    // its finite ratio, hundreds of thousands, scaled the whole history's band by as much.
    return list.map(({ e, half, size }) => {
      const negligible = Math.max(quartile, NO_SPREAD_LEVEL * size);
      return half > negligible ? Math.abs(e) / half : Math.abs(e) <= negligible ? 0 : Number.POSITIVE_INFINITY;
    });
  });
  if (ratios.some((r) => r.length < 6)) return null;
  return levels.map((level, j) => {
    const r = ratios[j].sort((a, b) => a - b);
    const n = r.length;
    // The split-conformal rank; past n (too few points for this level) the largest ratio stands in,
    // as does the largest finite one where the rank falls on an infinite ratio.
    const rank = Math.min(n, Math.ceil(((n + 1) * level) / 100));
    let q = r[rank - 1];
    if (!Number.isFinite(q)) q = r.filter(Number.isFinite).pop() ?? 1;
    q = Math.max(q, 1e-3);
    const w = n / (n + CALIBRATION_PRIOR);
    // Widen only: the origins' errors are few and correlated (a level shift moves a whole origin),
    // so a quantile below the model's own width is more likely luck than a too-cautious model.
    return Math.max(1, Math.exp(w * Math.log(q)));
  });
}
