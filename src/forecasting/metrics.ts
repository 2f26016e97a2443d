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

/** Symmetric MAPE as in the M3 competition: mean of 200|y-f|/(|y|+|f|), in percent (0..200). */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]) + Math.abs(forecast[i]);
    if (d > 0) s += (200 * Math.abs(actual[i] - forecast[i])) / d;
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
