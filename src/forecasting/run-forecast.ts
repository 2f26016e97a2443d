import type { ForecastInput, ForecastResult, Frequency, IntervalBand, Metric } from './forecast-types.js';
import { InputDataError } from './forecast-types.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { getModel } from './model-registry.js';
import { futureDates, inferFrequency, isFrequency, seasonalPeriodFor } from './frequency.js';
import { seasonFound } from './season-gate.js';
import { accuracyMetrics } from './metrics.js';
import { type GridFits, gridSearch } from './parameter-search.js';
import { calibrationCaps, calibrationFactors, crossValidate, MIN_CV_TRAIN } from './cross-validation.js';
import { withFitMemo } from './fit-memo.js';
import { type InactiveRun, inactiveRun, inactiveText, noSpread } from './inactive-demand.js';

/** Bump when the same input can give a different result (a model, a default or a search changed). */
export const ENGINE_VERSION = '1.10.1';

const METRICS: Metric[] = ['mae', 'rmse', 'mape', 'smape', 'mase', 'wape'];
const INTERMITTENT_SHARE = 0.3;
/**
 * The largest value (in absolute terms) a series may hold, a sanity cap: no demand series needs
 * more, whole numbers stay exact well past it (to 2^53), and sums over a dataset's SKUs stay finite. Inputs are refused above it where they enter
 * (imports, edits, actuals, POST /api/jobs), so no job is accepted only to fail here.
 */
export const MAX_ABS_VALUE = 1e15;

function validate(input: ForecastInput): ModelDefinition {
  const who = `SKU '${input.sku}'`;
  if (!Array.isArray(input.values) || input.values.length === 0) throw new InputDataError(`${who} has no values to forecast`);
  input.values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputDataError(`${who}: value ${i + 1} (${String(v)}) is not a finite number`);
    if (Math.abs(v) > MAX_ABS_VALUE) throw new InputDataError(`${who}: value ${i + 1} (${v}) is beyond +/-1e15; rescale the data`);
  });
  if (input.dates !== undefined && input.dates.length !== input.values.length) {
    throw new InputDataError(`${who} has ${input.values.length} values but ${input.dates.length} dates`);
  }
  if (input.frequency !== undefined && !isFrequency(input.frequency)) throw new InputDataError(`unknown frequency '${String(input.frequency)}'`);
  const def = getModel(input.modelId);
  if (!def) throw new InputDataError(`unknown model '${input.modelId}'`);
  if (input.method !== 'grid' && input.method !== 'mle') throw new InputDataError(`unknown method '${String(input.method)}'`);
  const s = input.settings;
  if (!s || !Number.isInteger(s.horizon) || s.horizon < 1 || s.horizon > 10_000) throw new InputDataError('settings.horizon must be an integer from 1 to 10000');
  if (!Number.isInteger(s.holdout) || s.holdout < 0) throw new InputDataError('settings.holdout must be a non-negative integer');
  if (!METRICS.includes(s.metric)) throw new InputDataError(`settings.metric must be one of ${METRICS.join(', ')}`);
  if (!Array.isArray(s.intervalLevels) || s.intervalLevels.some((l) => typeof l !== 'number' || !(l > 0 && l < 100))) {
    throw new InputDataError('settings.intervalLevels must be numbers between 0 and 100 (exclusive)');
  }
  return def;
}

/**
 * The seasonal period a model uses on these values (null: none), and why not where it could: the
 * season gate (season-gate.ts; a weaker season admitted for the models that shrink it). Models that always use the
 * calendar's season (the seasonal naive) need one full season and a point.
 */
export function seasonalPeriod(def: ModelDefinition, y: number[], freqPeriod: number): { period: number | null; warning: string | null } {
  // The texts leave the model out (its result says which it is), so the SKU panel says a note that
  // several models of the shown forecast left once, after their names.
  const n = y.length;
  if (!def.info.seasonal || freqPeriod <= 1) return { period: null, warning: null };
  if (def.calendarSeason) {
    return n > freqPeriod
      ? { period: freqPeriod, warning: null }
      : { period: null, warning: `history of ${n} points is not longer than one season (${freqPeriod}); fitted without seasonality` };
  }
  if (n < 2 * freqPeriod) {
    return { period: null, warning: `history of ${n} points is shorter than two seasons (${2 * freqPeriod}); fitted without seasonality` };
  }
  if (seasonFound(y, freqPeriod, def.shrinksSeason === true)) {
    if (n < def.minLength(freqPeriod)) {
      return { period: null, warning: `a season is found but the model needs ${def.minLength(freqPeriod)} points to fit it; fitted without seasonality` };
    }
    return { period: freqPeriod, warning: null };
  }
  return { period: null, warning: `no significant seasonality at lag ${freqPeriod} (90% autocorrelation test and seasonal strength of the detrended series); fitted without seasonality` };
}

function shortHistoryMessage(sku: string, n: number, def: ModelDefinition, period: number | null, need: number): string {
  const seasons = period !== null && period > 1 && need >= 2 * period ? ` (${Math.round(need / period)} seasons of ${period})` : '';
  return `SKU '${sku}' has ${n} point${n === 1 ? '' : 's'}; ${def.info.id} needs at least ${need}${seasons}`;
}

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/**
 * A model that returns NaN or an infinite value has failed on this series: the job fails with
 * this reason rather than passing zeros (or a band of zeros) to the planner as a forecast.
 */
function checkFinite(modelId: string, what: string, xs: number[]): number[] {
  const i = xs.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw new Error(`${modelId} produced a non-finite ${what} (${String(xs[i])} at step ${i + 1}); no forecast stored`);
  return xs;
}

/**
 * Forecast one SKU with one model and one tuning method. Pure and deterministic. Repeated fits of
 * the same data within the call (grid origins, cross-validation origins) are computed once (fit-memo.ts).
 */
export function runForecast(input: ForecastInput, onProgress?: (fraction: number) => void): ForecastResult {
  return withFitMemo(() => forecastOnce(input, onProgress));
}

function forecastOnce(input: ForecastInput, onProgress?: (fraction: number) => void): ForecastResult {
  const started = performance.now();
  const def = validate(input);
  const y = input.values.slice();
  const n = y.length;
  const settings = input.settings;
  const warnings: string[] = [];

  let frequency: Frequency | null = input.frequency ?? (input.dates ? inferFrequency(input.dates) : null);
  if (frequency === null) {
    frequency = 'monthly';
    warnings.push('frequency not given and not inferable from the dates; assumed monthly');
  }
  const freqPeriod = seasonalPeriodFor(frequency);

  // Seasonality is used only where the data show it (see docs/forecasting.md).
  const decided = seasonalPeriod(def, y, freqPeriod);
  const period = decided.period;
  if (decided.warning) warnings.push(decided.warning);
  const baseCtx = { period, frequency };
  const need = def.minLength(period);
  if (n < need) throw new InputDataError(shortHistoryMessage(input.sku, n, def, period, need));

  const nonNegative = y.every((v) => v >= 0);
  const zeroShare = y.filter((v) => v === 0).length / n;
  if (zeroShare >= INTERMITTENT_SHARE && !def.info.intermittent) {
    warnings.push(`${Math.round(zeroShare * 100)}% of the history is zero (intermittent demand); croston, sba or tsb usually suit it better`);
  }
  // Point forecasts below zero are clipped (and reported); lower bounds are clipped silently.
  let clipped = false;
  const clip = (xs: number[], report = false): number[] => {
    if (!nonNegative) return xs;
    return xs.map((v) => {
      if (v < 0) { if (report) clipped = true; return 0; }
      return v;
    });
  };

  // Hold out what the history can spare while still leaving the model enough to fit.
  let holdout = Math.min(settings.holdout, Math.max(0, n - need));
  if (holdout < settings.holdout) {
    // Where only the season does not fit before the holdout (two seasons exactly: an ensemble of 24
    // months), say so: the forecast shown uses a season nothing before the holdout can show, so it
    // has no backtest; the cross-validation scores the form without the season (docs/forecasting.md).
    const seasonOnly = period !== null && n - settings.holdout >= def.minLength(null);
    warnings.push(seasonOnly
      ? `the ${n - settings.holdout} points before the holdout of ${settings.holdout} are too few for the model's season of ${period} (it needs ${need})${holdout > 0 ? `; held out ${holdout}` : ': no backtest of this forecast (its cross-validation scores it without the season)'}`
      : holdout > 0
        ? `history too short for a holdout of ${settings.holdout}; held out ${holdout}`
        : `history too short to hold out any points; holdout skipped, no accuracy metrics`);
  }

  let params: ParameterValues | null = null;
  let candidatesEvaluated = 1;
  let hasParams = def.info.parameters.length > 0;
  if (input.method === 'grid' && hasParams && holdout === 0) {
    // Nothing to score the grid on: an arbitrary grid point would be worse than estimating.
    warnings.push('no holdout to score the grid on; parameters estimated from the history (mle) instead');
    hasParams = false;
  }
  // Grid fits the cross-validation's searches can reuse (same data, period, holdout and candidate).
  const gridFits: GridFits = new Map();
  if (input.method === 'grid' && hasParams) {
    const search = gridSearch(def, { y, ctx: baseCtx, holdout, metric: settings.metric, adjust: clip, onProgress, fits: gridFits });
    params = search.params;
    candidatesEvaluated = search.candidatesEvaluated;
    if (search.metricFallback) warnings.push(`${settings.metric} is undefined on the holdout (zero actuals or a zero scale); candidates ranked by MAE`);
  }

  const fitOn = (values: number[], scoring = false): FittedModel => {
    const ctx: SeriesContext = { ...baseCtx, y: values, scoring };
    return def.fit(ctx, input.method === 'grid' && hasParams ? params : null);
  };

  const full = fitOn(y);
  if (full.warnings) warnings.push(...full.warnings);
  // A grid with no candidates leaves the choice to the model's own fit (ets compares its forms by AICc): report its count.
  if (input.method === 'mle' || !hasParams || params === null) candidatesEvaluated = full.candidatesEvaluated ?? 1;
  onProgress?.(1);

  // Asked once per grid candidate and origin with the same training array (never mutated): scanned
  // once per array instead (a grid of 75 candidates scanned each origin's history 75 times).
  let scanned: number[] | null = null;
  let scannedNonNegative = false;
  let scannedStop: InactiveRun | null = null;
  const scan = (train: number[]) => {
    if (train !== scanned) { scanned = train; scannedNonNegative = train.every((v) => v >= 0); scannedStop = inactiveRun(train, frequency!); }
  };
  // An origin whose history reads as a stop forecasts 0, as the full history would (inactive-demand.ts).
  const adjustOrigin = (xs: number[], train: number[]): number[] => {
    scan(train);
    if (scannedStop) return xs.map(() => 0);
    return scannedNonNegative ? xs.map((v) => Math.max(0, v)) : xs;
  };
  // And its bands are the ones the app would show there: 0 where the stop is certain enough
  // (noSpread), so a restart after it is scored as the miss it would be, not against the model's raw band.
  const adjustBands = (bands: IntervalBand[], train: number[]): IntervalBand[] => {
    scan(train);
    if (!scannedStop) return bands;
    if (noSpread(scannedStop)) return bands.map((b) => ({ level: b.level, lower: b.lower.map(() => 0), upper: b.upper.map(() => 0) }));
    return bands.map((b) => ({ level: b.level, lower: b.lower.map((v) => Math.min(v, 0)), upper: b.upper.map((v) => Math.max(v, 0)) }));
  };
  const cv = crossValidate(def, {
    // The same origins for every model of the SKU (not this model's own shortest history), so the choice can compare and combine them.
    y, frequency, calendarPeriod: freqPeriod, method: input.method, holdout: Math.min(settings.holdout, Math.max(0, n - MIN_CV_TRAIN)), horizon: Math.max(settings.horizon, settings.holdout),
    metric: settings.metric, levels: settings.intervalLevels, periodFor: (values) => seasonalPeriod(def, values, freqPeriod).period,
    // Clipped where the origin's own history has no negative value, not the whole history's (a look-ahead).
    adjust: adjustOrigin,
    adjustBands,
    gridFits,
  });
  let holdoutBlock: ForecastResult['holdout'] = { length: 0, dates: [], actual: [], forecast: [], metrics: null };
  if (holdout > 0) {
    const train = y.slice(0, n - holdout);
    const actual = y.slice(n - holdout);
    // The backtest shown is the cross-validation's forecast from the holdout origin (tuned before it).
    const k = cv ? cv.origins.indexOf(n - holdout) : -1;
    const fromCv = k >= 0 ? cv?.forecast[k]?.slice(0, holdout) : undefined;
    const fc = fromCv ?? clip(checkFinite(def.info.id, 'holdout forecast', fitOn(train, true).forecast(holdout, []).mean), true);
    holdoutBlock = {
      length: holdout,
      dates: input.dates ? input.dates.slice(n - holdout) : actual.map((_, i) => String(n - holdout + i + 1)),
      actual,
      forecast: fc,
      metrics: cv?.metrics ?? accuracyMetrics(actual, fc, train, freqPeriod),
    };
  }

  const fc = full.forecast(settings.horizon, settings.intervalLevels);
  const mean = clip(checkFinite(def.info.id, 'forecast', fc.mean), true);
  // The model's intervals rescaled about the mean to cover its own cross-validation errors (cross-validation.ts).
  const factors = cv ? calibrationFactors(cv, settings.intervalLevels) : null;
  const caps = factors && cv ? calibrationCaps(cv, settings.intervalLevels) : null;
  if (cv && factors) cv.intervalScale = factors.map((f) => Math.round(f * 1000) / 1000);
  if (cv) delete cv.bands;
  // Widened by f, up to the cap the errors allow (calibrationCaps), never below the model's own.
  const widen = (half: number, k: number) => {
    const f = factors?.[k] ?? 1;
    return f <= 1 || caps === null ? f * half : Math.max(half, Math.min(f * half, caps[k]));
  };
  const intervals: IntervalBand[] = fc.intervals.map((band, k) => {
    const lower = checkFinite(def.info.id, `${settings.intervalLevels[k]}% lower bound`, band.lower).map((v, i) => Math.min(mean[i] - widen(mean[i] - v, k), mean[i]));
    const upper = checkFinite(def.info.id, `${settings.intervalLevels[k]}% upper bound`, band.upper).map((v, i) => Math.max(mean[i] + widen(v - mean[i], k), mean[i]));
    return { level: settings.intervalLevels[k], lower: clip(lower), upper: nonNegative ? upper.map((v) => Math.max(0, v)) : upper };
  });
  // After rescaling, a wider level still contains every narrower one.
  const byLevel = intervals.map((_, k) => k).sort((a, b) => intervals[a].level - intervals[b].level);
  for (let j = 1; j < byLevel.length; j++) {
    const inner = intervals[byLevel[j - 1]];
    const outer = intervals[byLevel[j]];
    outer.lower = outer.lower.map((v, i) => Math.min(v, inner.lower[i]));
    outer.upper = outer.upper.map((v, i) => Math.max(v, inner.upper[i]));
  }
  // A SKU that stopped selling a year or more ago (inactive-demand.ts): mean 0; bands of 0 where
  // the stop is certain enough, else the model's upper bounds (a restart is not ruled out).
  const inactive = inactiveRun(y, frequency);
  if (clipped && !inactive) warnings.push('negative forecasts clipped to 0 because the history has no negative values');
  if (inactive) {
    mean.fill(0);
    const zeroSpread = noSpread(inactive);
    for (const band of intervals) {
      band.lower = band.lower.map((v) => (zeroSpread ? 0 : Math.min(v, 0)));
      band.upper = band.upper.map((v) => (zeroSpread ? 0 : Math.max(v, 0)));
    }
    warnings.push(inactiveText(inactive, frequency));
  }

  const dates = input.dates && input.dates.length > 0
    ? futureDates(input.dates[n - 1], frequency, settings.horizon)
    : Array.from({ length: settings.horizon }, (_, i) => String(n + i + 1));

  return {
    sku: input.sku,
    model: def.info.id,
    method: input.method,
    engineVersion: ENGINE_VERSION,
    frequency,
    seasonalPeriod: period,
    parameters: sanitize(full.parameters),
    search: { candidatesEvaluated, milliseconds: performance.now() - started },
    holdout: holdoutBlock,
    fit: { aicc: full.aicc !== null && Number.isFinite(full.aicc) ? full.aicc : null, sigma: finite(full.sigma), n },
    cv,
    forecast: { dates, mean, intervals },
    ...(inactive ? { inactive: { zeros: inactive.zeros, sales: inactive.sales, periods: inactive.periods, chance: inactive.chance } } : {}),
    warnings,
  };
}

function sanitize(p: Record<string, number | string | boolean>): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? 0 : v;
  return out;
}
