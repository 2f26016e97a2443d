import { classicalDecomposition } from './decomposition.js';

/**
 * The exponential smoothing recursions in innovations state-space form, written exactly as R's
 * forecast::ets C code updates its states (so parameters mean the same as R's alpha, beta, gamma,
 * phi). Seasonal states are stored by position: s[t % m] is the seasonal state of time t, updated
 * in place as the filter passes, which avoids shifting an array every period.
 */

export type EsTrend = 'N' | 'A' | 'Ad';
export type EsSeason = 'N' | 'A' | 'M';

export interface EsForm {
  error: 'A' | 'M'; // affects only the likelihood; the recursions are the same
  trend: EsTrend;
  season: EsSeason;
  m: number; // seasonal period; 1 without a season
}

export interface EsParams { alpha: number; beta: number; gamma: number; phi: number }

export interface EsStates { l: number; b: number; s: Float64Array }

export interface FilterResult {
  sse: number; // sum of squared one-step errors y - yhat
  relSse: number; // sum of squared relative errors (y - yhat) / yhat (multiplicative error only)
  logAbs: number; // sum of log|yhat| (multiplicative error only)
  l: number; // final level
  b: number; // final trend
}

/** Positions of FilterResult's values in the array esFilterInto writes. */
export const OUT_SSE = 0;
export const OUT_REL_SSE = 1;
export const OUT_LOG_ABS = 2;
export const OUT_L = 3;
export const OUT_B = 4;
export const FILTER_OUT_LENGTH = 5;

const TOL = 1e-10;

export function formName(form: EsForm): string {
  return `${form.error}${form.trend}${form.season}`;
}

/**
 * Runs the filter over y from the initial states. `seas` must hold m entries; it is overwritten
 * with the initial seasonal states and ends holding the final ones. `fitted`, when given, receives
 * the one-step forecasts.
 */
export function esFilter(y: ArrayLike<number>, form: EsForm, p: EsParams, init: EsStates, seas: Float64Array, fitted?: Float64Array): FilterResult {
  const out = new Float64Array(FILTER_OUT_LENGTH);
  esFilterInto(out, y, form, p, init, seas, fitted);
  return { sse: out[OUT_SSE], relSse: out[OUT_REL_SSE], logAbs: out[OUT_LOG_ABS], l: out[OUT_L], b: out[OUT_B] };
}

function fail(out: Float64Array): void {
  out[OUT_SSE] = Number.POSITIVE_INFINITY;
  out[OUT_REL_SSE] = Number.POSITIVE_INFINITY;
  out[OUT_LOG_ABS] = 0;
  out[OUT_L] = 0;
  out[OUT_B] = 0;
}

/**
 * esFilter writing its result into `out` (OUT_*) instead of a new object: the estimators' objectives
 * and a grid's candidates run it thousands of times per SKU, each run building a result object
 * with five boxed doubles.
 */
export function esFilterInto(out: Float64Array, y: ArrayLike<number>, form: EsForm, p: EsParams, init: EsStates, seas: Float64Array, fitted?: Float64Array): void {
  const n = y.length;
  const m = form.m;
  const hasTrend = form.trend !== 'N';
  const phi = form.trend === 'Ad' ? p.phi : 1;
  const ratio = hasTrend ? p.beta / p.alpha : 0;
  const alpha = p.alpha;
  const gamma = p.gamma;
  const season = form.season;
  const multErr = form.error === 'M';
  seas.set(init.s);
  let l = init.l;
  let b = hasTrend ? init.b : 0;
  let sse = 0;
  let relSse = 0;
  let logAbs = 0;
  let j = 0;
  for (let t = 0; t < n; t++) {
    const phib = phi * b;
    const q = l + phib;
    const yt = y[t];
    let yhat: number;
    let pp: number;
    let sv = 0;
    if (season === 'N') {
      yhat = q;
      pp = yt;
    } else if (season === 'A') {
      sv = seas[j];
      yhat = q + sv;
      pp = yt - sv;
    } else {
      sv = seas[j];
      if (Math.abs(sv) < TOL) { fail(out); return; }
      yhat = q * sv;
      pp = yt / sv;
    }
    const e = yt - yhat;
    sse += e * e;
    if (multErr) {
      if (Math.abs(yhat) < TOL) { fail(out); return; }
      relSse += (e / yhat) * (e / yhat);
      logAbs += Math.log(Math.abs(yhat));
    }
    if (fitted) fitted[t] = yhat;
    const lNew = q + alpha * (pp - q);
    if (hasTrend) b = phib + ratio * (lNew - l - phib);
    if (season === 'A') {
      seas[j] = sv + gamma * (yt - q - sv);
    } else if (season === 'M') {
      if (Math.abs(q) < TOL) { fail(out); return; }
      seas[j] = sv + gamma * (yt / q - sv);
    }
    l = lNew;
    if (++j === m) j = 0;
  }
  if (!Number.isFinite(sse)) { fail(out); return; }
  out[OUT_SSE] = sse;
  out[OUT_REL_SSE] = relSse;
  out[OUT_LOG_ABS] = logAbs;
  out[OUT_L] = l;
  out[OUT_B] = b;
}

/** Point forecasts h steps after a series of length n ended in states (l, b, seas). */
export function esPointForecast(form: EsForm, p: EsParams, l: number, b: number, seas: Float64Array, n: number, h: number): number[] {
  const out: number[] = [];
  const phi = form.trend === 'Ad' ? p.phi : 1;
  let phiSum = 0;
  let phiPow = 1;
  for (let i = 1; i <= h; i++) {
    phiPow *= phi;
    phiSum += phiPow;
    let f = form.trend === 'N' ? l : l + phiSum * b;
    if (form.season !== 'N') {
      const sv = seas[(n + i - 1) % form.m];
      f = form.season === 'A' ? f + sv : f * sv;
    }
    out.push(f);
  }
  return out;
}

/**
 * Sum over j=1..h-1 of c_j^2 with c_j = alpha + beta*phi_j + gamma*[j mod m = 0], the ETS class 1
 * multiplier: the h-step error variance is sigma^2 (1 + that sum) (Hyndman et al. 2008, ch. 6).
 */
export function esVarianceMultipliers(form: EsForm, p: EsParams, h: number): Float64Array {
  const out = new Float64Array(h);
  const phi = form.trend === 'Ad' ? p.phi : 1;
  let acc = 1;
  let phiSum = 0;
  let phiPow = 1;
  out[0] = 1;
  for (let j = 1; j < h; j++) {
    phiPow *= phi;
    phiSum += phiPow;
    let c = p.alpha;
    if (form.trend !== 'N') c += p.beta * phiSum;
    if (form.season !== 'N' && j % form.m === 0) c += p.gamma;
    acc += c * c;
    out[j] = acc;
  }
  return out;
}

/**
 * Starting states as R's ets initstate(): seasonal indices from a classical decomposition of the
 * first three seasons, then level and trend from a regression on the first max(10, 2m) seasonally
 * adjusted points.
 */
export function heuristicStates(y: ArrayLike<number>, form: EsForm): EsStates {
  const n = y.length;
  const m = form.m;
  const s = new Float64Array(m);
  const adjusted = new Float64Array(n);
  if (form.season !== 'N') {
    const type = form.season === 'A' ? 'additive' : 'multiplicative';
    let indices: number[];
    if (n >= 2 * m) {
      const span = Math.min(n, 3 * m);
      const head = Array.from({ length: span - (span % m) }, (_, i) => y[i]);
      indices = classicalDecomposition(head, m, type).indices;
    } else {
      indices = ratioToMean(y, m, type);
    }
    for (let i = 0; i < m; i++) s[i] = type === 'multiplicative' ? Math.max(indices[i], 1e-2) : indices[i];
    for (let t = 0; t < n; t++) adjusted[t] = type === 'additive' ? y[t] - s[t % m] : y[t] / s[t % m];
  } else {
    for (let t = 0; t < n; t++) adjusted[t] = y[t];
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  let l: number;
  let b = 0;
  if (form.trend === 'N' || maxn < 2) {
    l = 0;
    for (let t = 0; t < maxn; t++) l += adjusted[t];
    l /= maxn;
  } else {
    // Least squares on x = 1..maxn; the intercept is the level at time 0.
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let t = 0; t < maxn; t++) {
      const x = t + 1;
      sx += x; sy += adjusted[t]; sxx += x * x; sxy += x * adjusted[t];
    }
    b = (maxn * sxy - sx * sy) / (maxn * sxx - sx * sx);
    l = (sy - b * sx) / maxn;
    if (Math.abs(l + b) < 1e-8) { l *= 1 + 1e-3; b *= 1 - 1e-3; }
  }
  return { l, b, s };
}

function ratioToMean(y: ArrayLike<number>, m: number, type: 'additive' | 'multiplicative'): number[] {
  let mean = 0;
  for (let t = 0; t < y.length; t++) mean += y[t];
  mean /= y.length;
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < y.length; t++) {
    sums[t % m] += type === 'additive' ? y[t] - mean : mean !== 0 ? y[t] / mean : 1;
    counts[t % m]++;
  }
  return Array.from(sums, (v, i) => (counts[i] ? v / counts[i] : type === 'additive' ? 0 : 1));
}
