import type { AccuracyMetrics } from './forecast-types.js';

/**
 * Forecast accuracy measures. Each takes the actuals and the forecasts over the same periods;
 * those that can be undefined (a zero actual, a zero scale) return null instead of Infinity.
 */

export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i] - forecast[i]);
  return actual.length ? s / actual.length : 0;
}

export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i] - forecast[i]) ** 2;
  return actual.length ? Math.sqrt(s / actual.length) : 0;
}

/** Mean absolute percentage error, in percent; null when an actual is 0. */
export function mape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number | null {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === 0) return null;
    s += Math.abs((actual[i] - forecast[i]) / actual[i]);
  }
  const v = actual.length ? (100 * s) / actual.length : 0;
  return Number.isFinite(v) ? v : null;
}

/**
 * How close a forecast must come to its actual to count as exact in sMAPE: within a millionth of a
 * unit, or of the larger of the two when that is above 1. A model's level decays towards 0 over a
 * run of zeros without reaching it (ets: 1.6e-9 to 1.4e-7 after 37 weeks without a sale), and
 * against an actual 0 such a term scored 200, the worst sMAPE there is, beside an MAE of 0
 * (planner walkthrough, finding 5), while 0 against 0 scored 0.
 */
export const SMAPE_EXACT = 1e-6;

/**
 * Symmetric MAPE as in the M3 competition: mean of 200|y-f|/(|y|+|f|), in percent (0..200). A term
 * whose |y - f| is at most SMAPE_EXACT · max(1, |y|, |f|) is 0, as 0 against 0 is.
 */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = Math.abs(actual[i]);
    const f = Math.abs(forecast[i]);
    const miss = Math.abs(actual[i] - forecast[i]);
    if (miss <= SMAPE_EXACT * Math.max(1, y, f)) continue;
    s += (200 * miss) / (y + f);
  }
  return actual.length ? s / actual.length : 0;
}

/** In-sample MAE of the seasonal naive forecast (lag `period`, or lag 1 when the history is too short). */
export function naiveScale(insample: ArrayLike<number>, period = 1): number | null {
  const lag = period >= 1 && insample.length > period ? period : 1;
  if (insample.length <= lag) return null;
  let s = 0;
  for (let i = lag; i < insample.length; i++) s += Math.abs(insample[i] - insample[i - lag]);
  const scale = s / (insample.length - lag);
  return scale > 0 ? scale : null;
}

/** Mean absolute scaled error: MAE over the in-sample seasonal naive MAE; null when that is 0. */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, insample: ArrayLike<number>, period = 1): number | null {
  const scale = naiveScale(insample, period);
  if (scale === null) return null;
  const v = mae(actual, forecast) / scale;
  return Number.isFinite(v) ? v : null; // a denormal scale can overflow
}

/** Weighted absolute percentage error: sum|y-f| / sum|y|, in percent; null when all actuals are 0. */
export function wape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number | null {
  let num = 0;
  let den = 0;
  for (let i = 0; i < actual.length; i++) {
    num += Math.abs(actual[i] - forecast[i]);
    den += Math.abs(actual[i]);
  }
  const v = den > 0 ? (100 * num) / den : null;
  return v !== null && Number.isFinite(v) ? v : null;
}

/** Mean of forecast - actual: positive means over-forecasting. */
export function bias(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += forecast[i] - actual[i];
  return actual.length ? s / actual.length : 0;
}

export function accuracyMetrics(actual: ArrayLike<number>, forecast: ArrayLike<number>, insample: ArrayLike<number>, period = 1): AccuracyMetrics {
  return {
    mae: mae(actual, forecast),
    rmse: rmse(actual, forecast),
    mape: mape(actual, forecast),
    smape: smape(actual, forecast),
    mase: mase(actual, forecast, insample, period),
    wape: wape(actual, forecast),
    bias: bias(actual, forecast),
  };
}
