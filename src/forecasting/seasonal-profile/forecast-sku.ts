import type { AccuracyMetrics, ForecastInput, ForecastResult, Frequency, SeasonalProfile, SeasonalProfileUse } from '../forecast-types.js';
import { InputDataError } from '../forecast-types.js';
import { getModel } from '../model-registry.js';
import { inferFrequency, isFrequency, seasonalPeriodFor } from '../frequency.js';
import { accuracyMetrics } from '../metrics.js';
import { averageMetrics, cvOrigins, MIN_CV_TRAIN } from '../cross-validation.js';
import { runForecast, seasonalPeriod } from '../run-forecast.js';
import { seasonalStrength } from '../decomposition.js';
import { calendarSlot, profileSlots, seriesSlotIndices, yearlyStrength } from './seasonal-profile.js';

/**
 * forecastSku is runForecast with a yearly seasonal profile laid over it where the models cannot
 * fit the year themselves. The model runs on the history divided by the profile; its forecasts,
 * intervals, holdout and cross-validation forecasts are multiplied back, the cross-validation
 * metrics recomputed on the original scale, and the result says so (seasonalProfile, a warning).
 *
 * - Daily data with two years or more before the earliest cross-validation origin: the models
 *   keep the weekly season (7) and the SKU's own 365-day profile (ratios to a centred 365-day mean
 *   per day of the year, smoothed to 8 harmonics so the weekly pattern and the noise drop out)
 *   carries the year, where its strength reaches YEARLY_STRENGTH_THRESHOLD. Not by
 *   cross-validation: its origins look a few days ahead and cannot see a yearly season.
 * - A SKU with less than two years (24 months, 8 quarters, 104 weeks, 730 days) given a profile
 *   pooled across its dataset's long SKUs (input.seasonalProfile, built by the worker): the model
 *   runs with and without it, and the profile is kept only where its cross-validation error by
 *   the dataset's metric is lower, on the origins after the profile's last date (none: not kept).
 * - Weekly data with two years, for ETS (which fits no season longer than 24, as R): the SKU's own
 *   52-week profile, where runForecast's seasonality rule finds the season at 52.
 *
 * Seasonal, non-intermittent models only: an intermittent model's rate has no season to restore,
 * and non-seasonal models (naive, mean, moving average) are meant to stay what they are.
 * Pure, like runForecast.
 */
export function forecastSku(input: ForecastInput, onProgress?: (fraction: number) => void): ForecastResult {
  const candidate = profileFor(input);
  if (!candidate) return runForecast(input, onProgress);
  const { profile, source, strength } = candidate;
  const frequency = profile.frequency;
  const factor = (date: string): number => {
    const s = calendarSlot(date, frequency);
    return s >= 0 ? profile.indices[s] : 1;
  };
  const idx = (input.dates as string[]).map(factor);
  const adjustedInput: ForecastInput = { ...input, values: input.values.map((v, i) => v / idx[i]), seasonalProfile: undefined };
  if (source === 'own') {
    // Decided by its strength (profileFor): one run, on the adjusted history.
    const r = reseasonalise(runForecast(adjustedInput, onProgress), input, idx, factor);
    return withNote(r, input, profile, { source, period: profile.indices.length, skus: 1, scope: profile.scope, through: profile.through, decidedBy: 'seasonal strength', cvWith: null, cvWithout: null, strength: round(strength ?? 0) });
  }
  const plain = runForecast(input, onProgress && ((f) => onProgress(f / 2)));
  let adjusted: ForecastResult;
  try {
    adjusted = runForecast(adjustedInput, onProgress && ((f) => onProgress(0.5 + f / 2)));
  } catch {
    // The plain fit worked; an adjusted history the model cannot fit just loses the comparison.
    return plain;
  }
  const reseasoned = reseasonalise(adjusted, input, idx, factor);
  // Judged only on the origins after the profile's last date: at an earlier origin the profile has
  // seen the other SKUs' sales over the very months being scored (a 23-month SKU's first origins
  // lie more than a year back, before the pool's cut-off), and a shock common to the dataset would
  // pass for a season.
  const without = cvErrorAfter(plain, input, profile.through);
  const withProfile = cvErrorAfter(reseasoned, input, profile.through);
  if (without === null || withProfile === null || !(withProfile < without)) return plain;
  return withNote(plainBeforeCutoff(reseasoned, plain, input, profile.through), input, profile, {
    source, period: profile.indices.length, skus: profile.skus, scope: profile.scope, through: profile.through,
    decidedBy: 'cross-validation', cvWith: round(withProfile), cvWithout: round(without), strength: null,
  });
}

function withNote(r: ForecastResult, input: ForecastInput, profile: SeasonalProfile, use: SeasonalProfileUse): ForecastResult {
  r.seasonalProfile = use;
  r.parameters = { ...r.parameters, seasonalProfile: use.source, seasonalProfilePeriod: use.period };
  // runForecast's "...; fitted without seasonality" is about the model: beside a forecast that has the
  // profile's season (the SKU panel lists these notes) it would read as "this forecast has none".
  r.warnings = r.warnings.map((w) => w.replace(/; fitted without seasonality$/, `; the model fitted no season of its own: ${use.source === 'pooled' ? 'a seasonal profile borrowed from the dataset' : "the SKU's own yearly profile"} is laid over its forecast`));
  r.warnings.push(use.source === 'pooled'
    ? `seasonal profile borrowed from ${profile.skus} SKUs of this ${profile.scope === 'dataset' ? 'dataset' : `dataset's group ${profile.scope}`} (${use.period} periods a year, data through ${profile.through}): cross-validation ${input.settings.metric} ${use.cvWith} with it, ${use.cvWithout} without`
    : use.period === 365
      ? `yearly season (365 days) estimated from this SKU's history through ${profile.through} (strength ${use.strength}) and laid over the weekly one`
      : `yearly season (${use.period} weeks) estimated from this SKU's history through ${profile.through} (strength ${use.strength}): ${r.model} fits no season longer than 24 periods itself`);
  return r;
}

/**
 * The strength (yearlyStrength) a daily SKU's own 365-day profile needs to be used. Low on purpose:
 * daily noise is large, and the 16 smoothed coefficients of a profile from two years or more are
 * well determined, so a profile that explains a fifth of the day-to-day movement is a real season.
 */
export const YEARLY_STRENGTH_THRESHOLD = 0.2;

/**
 * Models that fit no season longer than 24 periods (ETS, as R's ets()): on weekly data with two
 * years they get the SKU's own 52-week profile instead, where runForecast's seasonality rule finds
 * the season. The other seasonal models fit 52 themselves.
 */
const LONG_SEASON_BLIND = new Set(['ets']);

/** The swing a profile must reach to be laid over a forecast: under 3% it changes nothing a planner would see. */
const MIN_PROFILE_AMPLITUDE = 0.03;

function profileFor(input: ForecastInput): { profile: SeasonalProfile; source: SeasonalProfileUse['source']; strength?: number } | null {
  const def = getModel(input.modelId);
  const dates = input.dates;
  if (!def || !def.info.seasonal || def.info.intermittent || !dates || dates.length !== input.values.length) return null;
  const frequency: Frequency | null = input.frequency !== undefined && isFrequency(input.frequency) ? input.frequency : inferFrequency(dates);
  if (!frequency) return null;
  const slots = profileSlots(frequency);
  if (slots === 0) return null;
  const n = input.values.length;
  if (input.seasonalProfile && n < 2 * slots) {
    const p = input.seasonalProfile;
    if (p.frequency !== frequency) return null;
    if (!Array.isArray(p.indices) || p.indices.length !== slots || !p.indices.every((v) => Number.isFinite(v) && v > 0)) {
      throw new InputDataError(`seasonalProfile.indices must be ${slots} positive numbers for ${frequency} data`);
    }
    return { profile: p, source: 'pooled' };
  }
  const weeklyBlind = frequency === 'weekly' && LONG_SEASON_BLIND.has(def.info.id);
  if ((frequency !== 'daily' && !weeklyBlind) || !input.values.every((v) => v >= 0)) return null;
  // Estimated only from the data before the earliest cross-validation origin, so the comparison
  // never scores the profile on values it was estimated from.
  const holdout = Math.min(input.settings?.holdout ?? 0, Math.max(0, n - MIN_CV_TRAIN));
  const origins = cvOrigins(n, holdout);
  const end = origins.length > 0 ? origins[0] : n;
  if (end < 2 * slots) return null;
  const train = input.values.slice(0, end);
  const indices = seriesSlotIndices(train, dates.slice(0, end), frequency);
  if (!indices || Math.max(...indices.map((v) => Math.abs(v - 1))) < MIN_PROFILE_AMPLITUDE) return null;
  let strength: number;
  if (weeklyBlind) {
    // The season every other model would fit at 52, by runForecast's own rule on the same data.
    if (seasonalPeriod(def, train, slots).period !== slots) return null;
    strength = seasonalStrength(train, slots);
  } else {
    strength = yearlyStrength(train, dates.slice(0, end), indices);
    if (strength < YEARLY_STRENGTH_THRESHOLD) return null;
  }
  return { profile: { frequency, indices, skus: 1, scope: 'own history', through: dates[end - 1] }, source: 'own', strength };
}

/**
 * The kept result's cross-validation with the plain forecast at each origin up to the profile's
 * cut-off (the profile did not exist then: it was estimated from later data, over the very months
 * being scored), its metrics recomputed. These are what the per-SKU choice compares and combines,
 * so a borrowed profile is never credited with hindsight there either.
 */
function plainBeforeCutoff(r: ForecastResult, plain: ForecastResult, input: ForecastInput, through: string): ForecastResult {
  const dates = input.dates as string[];
  if (!r.cv || !plain.cv || r.cv.origins.every((o) => dates[o] > through)) return r;
  const y = input.values;
  const cv = { ...r.cv, forecast: r.cv.forecast.slice() };
  cv.origins.forEach((o, k) => {
    if (dates[o] > through) return;
    const j = plain.cv!.origins.indexOf(o);
    cv.forecast[k] = j >= 0 ? plain.cv!.forecast[j] : null;
  });
  const calendarPeriod = seasonalPeriodFor(r.frequency);
  const maseLag = cv.origins[0] > calendarPeriod ? calendarPeriod : 1;
  const per: AccuracyMetrics[] = [];
  cv.origins.forEach((o, k) => {
    const f = cv.forecast[k];
    if (f) per.push(accuracyMetrics(cv.actual[k], f, y.slice(0, o), maseLag));
  });
  cv.metrics = averageMetrics(per);
  return { ...r, cv, holdout: r.holdout.length > 0 ? { ...r.holdout, metrics: cv.metrics ?? r.holdout.metrics } : r.holdout };
}

/** The cross-validation error, by the dataset's metric, over the origins dated after `through`; null where there is none. */
function cvErrorAfter(r: ForecastResult, input: ForecastInput, through: string): number | null {
  const cv = r.cv;
  const dates = input.dates as string[];
  if (!cv) return null;
  const per: AccuracyMetrics[] = [];
  cv.origins.forEach((o, k) => {
    const f = cv.forecast[k];
    if (!f || !(dates[o] > through)) return;
    per.push(accuracyMetrics(cv.actual[k], f, input.values.slice(0, o), 1));
  });
  const m = averageMetrics(per);
  if (!m) return null;
  // MASE ranks as MAE within one SKU (the same scale); a metric undefined here falls back to MAE too.
  const metric = input.settings.metric;
  const v = metric === 'mase' ? m.mae : (m[metric] ?? m.mae);
  return v !== null && Number.isFinite(v) ? v : null;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * A result fitted on y / index, back on the scale of y: forecasts, bounds, the holdout and every
 * cross-validation forecast multiplied by their dates' indices, the actuals restored, and the
 * cross-validation metrics recomputed on that scale (the MASE lag as crossValidate chooses it).
 */
function reseasonalise(r: ForecastResult, input: ForecastInput, idx: number[], factor: (date: string) => number): ForecastResult {
  const y = input.values;
  const n = y.length;
  const ahead = r.forecast.dates.map(factor);
  const times = (xs: number[], f: number[]) => xs.map((v, i) => v * f[i]);
  const out: ForecastResult = {
    ...r,
    parameters: { ...r.parameters },
    forecast: {
      dates: r.forecast.dates,
      mean: times(r.forecast.mean, ahead),
      intervals: r.forecast.intervals.map((b) => ({ level: b.level, lower: times(b.lower, ahead), upper: times(b.upper, ahead) })),
    },
    warnings: [...r.warnings],
  };
  const calendarPeriod = seasonalPeriodFor(r.frequency);
  if (r.cv) {
    const cv = { ...r.cv, actual: r.cv.actual.map((a) => a.slice()), forecast: r.cv.forecast.map((f) => (f ? f.slice() : null)) };
    const maseLag = cv.origins[0] > calendarPeriod ? calendarPeriod : 1;
    const per: AccuracyMetrics[] = [];
    cv.origins.forEach((o, k) => {
      cv.actual[k] = y.slice(o, o + cv.actual[k].length);
      const f = cv.forecast[k];
      if (!f) return;
      cv.forecast[k] = f.map((v, i) => v * idx[o + i]);
      per.push(accuracyMetrics(cv.actual[k], cv.forecast[k] as number[], y.slice(0, o), maseLag));
    });
    cv.metrics = averageMetrics(per);
    out.cv = cv;
  }
  if (r.holdout.length > 0) {
    const h = r.holdout.length;
    const actual = y.slice(n - h);
    const forecast = r.holdout.forecast.map((v, i) => v * idx[n - h + i]);
    out.holdout = {
      ...r.holdout, actual, forecast,
      metrics: out.cv?.metrics ?? accuracyMetrics(actual, forecast, y.slice(0, n - h), calendarPeriod),
    };
  }
  return out;
}

