import { solveNormalEquations } from './least-squares.js';
import { normalQuantile } from './distributions.js';

/**
 * Seasonality detection and classical decomposition, shared by the seasonal models and by Theta.
 */

/** Sample autocorrelations r_1..r_maxLag (R's acf); all zero for a constant series. */
export function autocorrelations(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  const r = new Float64Array(maxLag + 1);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (y[i] - mean) ** 2;
  if (c0 <= 0) return r;
  for (let k = 1; k <= maxLag && k < n; k++) {
    let c = 0;
    for (let i = 0; i + k < n; i++) c += (y[i] - mean) * (y[i + k] - mean);
    r[k] = c / c0;
  }
  return r;
}

/**
 * True when the autocorrelation at the seasonal lag is significant at 90% (two-sided, Bartlett's
 * standard error), as the M3 Theta method tests it; needs at least three full seasons.
 */
export function seasonalityTest(y: ArrayLike<number>, period: number): boolean {
  if (!(period > 1) || y.length < 3 * period) return false;
  const r = autocorrelations(y, period);
  let s = 1;
  for (let k = 1; k < period; k++) s += 2 * r[k] * r[k];
  const limit = (normalQuantile(0.95) * Math.sqrt(s)) / Math.sqrt(y.length);
  return Math.abs(r[period]) > limit;
}

export interface Decomposition {
  /** One index per season position; position 0 is the season of y[0]. Sum 0 (additive) or mean 1 (multiplicative). */
  indices: number[];
  /** The seasonal component for every observation, y.length long. */
  seasonal: number[];
  /** The centred moving average trend; NaN at the ends where the window does not fit. */
  trend: number[];
}

/**
 * Classical decomposition (R's decompose): a centred moving average of order `period` (2x`period`
 * when even) gives the trend, and the seasonal index of each position is the mean detrended value
 * at that position, normalised to sum 0 (additive) or to average 1 (multiplicative).
 */
export function classicalDecomposition(y: ArrayLike<number>, period: number, type: 'multiplicative' | 'additive'): Decomposition {
  const n = y.length;
  if (period < 2 || n < 2 * period) throw new RangeError(`classicalDecomposition needs two full seasons (${2 * period} points), got ${n}`);
  const trend = new Array<number>(n).fill(Number.NaN);
  const half = Math.floor(period / 2);
  const even = period % 2 === 0;
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (even) {
      s += 0.5 * y[t - half] + 0.5 * y[t + half];
      for (let j = t - half + 1; j < t + half; j++) s += y[j];
    } else {
      for (let j = t - half; j <= t + half; j++) s += y[j];
    }
    trend[t] = s / period;
  }
  const sums = new Float64Array(period);
  const counts = new Float64Array(period);
  for (let t = 0; t < n; t++) {
    if (Number.isNaN(trend[t])) continue;
    const d = type === 'additive' ? y[t] - trend[t] : y[t] / trend[t];
    if (!Number.isFinite(d)) continue;
    sums[t % period] += d;
    counts[t % period]++;
  }
  const indices: number[] = [];
  for (let i = 0; i < period; i++) indices.push(counts[i] > 0 ? sums[i] / counts[i] : type === 'additive' ? 0 : 1);
  const centre = indices.reduce((a, b) => a + b, 0) / period;
  for (let i = 0; i < period; i++) indices[i] = type === 'additive' ? indices[i] - centre : centre !== 0 ? indices[i] / centre : 1;
  const seasonal: number[] = [];
  for (let t = 0; t < n; t++) seasonal.push(indices[t % period]);
  return { indices, seasonal, trend };
}

/**
 * How much of the detrended series the season explains, for histories of two or three seasons
 * where the autocorrelation test is blind (a trend dominates the autocorrelations, and its
 * standard error is wide): an adjusted R^2, so white noise scores about 0 whatever the length and
 * a pure season 1. 0 with fewer than two full seasons.
 * - Three seasons or more: the per-position means of y minus its centred moving average.
 * - Two to three: the moving average leaves too little. At exactly two seasons it leaves one
 *   point per position (no degrees of freedom: every such history scored 0, a clean season
 *   included), and up to three a handful (white noise of 26 months passed 0.5 about a third of
 *   the time). There the season is fitted jointly with a straight line over every point,
 *   y_t = s_(t mod m) + b t, against a line and a ramp per season (plainResidual): n - m - 1
 *   residual degrees of freedom.
 */
export function seasonalStrength(y: ArrayLike<number>, period: number): number {
  if (!(period > 1) || y.length < 2 * period) return 0;
  let lo = Infinity, hi = -Infinity;
  for (let t = 0; t < y.length; t++) {
    lo = Math.min(lo, y[t]);
    hi = Math.max(hi, y[t]);
  }
  // A flat history (its range rounding of its level) has nothing to explain: no season. Its
  // sums of squares are rounding too, and their ratio anything (a run of 0.1s scored 1).
  if (!(hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)))) return 0;
  return y.length < 3 * period ? strengthAgainstLine(y, period) : strengthAgainstMovingAverage(y, period);
}

function strengthAgainstLine(y: ArrayLike<number>, period: number): number {
  const n = y.length;
  const count = new Float64Array(period);
  const sumT = new Float64Array(period);
  const sumY = new Float64Array(period);
  for (let t = 0; t < n; t++) {
    count[t % period]++;
    sumT[t % period] += t;
    sumY[t % period] += y[t];
  }
  // The joint fit's slope is the within-position one.
  let sxx = 0, sxy = 0, syy = 0;
  for (let t = 0; t < n; t++) {
    const i = t % period;
    const dt = t - sumT[i] / count[i];
    const dy = y[t] - sumY[i] / count[i];
    sxx += dt * dt;
    sxy += dt * dy;
    syy += dy * dy;
  }
  const ssSeasonal = Math.max(0, syy - (sxy * sxy) / sxx);
  const ssPlain = plainResidual(y, period);
  if (!(ssPlain > 0)) return 0;
  return 1 - (ssSeasonal / (n - period - 1)) / (ssPlain / (n - 3));
}

/**
 * The residual sum of squares of y_t = a + b t + c (t mod m): a line plus one ramp per season. At
 * two or three seasons a season that is a ramp is a step between the seasons (a level shift at the
 * season's turn: 100 for a year, then 150) seen through the trend, and cannot be told from one;
 * without the ramp in the plain model such a step scored 1.
 */
function plainResidual(y: ArrayLike<number>, period: number): number {
  const n = y.length;
  // Centred, so a level of 1e7 leaves the normal equations well conditioned (raw, white noise
  // around it passed as a season every time).
  let meanY = 0, meanT = 0, meanR = 0;
  for (let t = 0; t < n; t++) {
    meanY += y[t] / n;
    meanT += t / n;
    meanR += (t % period) / n;
  }
  const a = new Float64Array(4);
  const b = new Float64Array(2);
  let syy = 0;
  for (let t = 0; t < n; t++) {
    const x0 = t - meanT;
    const x1 = (t % period) - meanR;
    const dy = y[t] - meanY;
    a[0] += x0 * x0;
    a[1] += x0 * x1;
    a[3] += x1 * x1;
    b[0] += x0 * dy;
    b[1] += x1 * dy;
    syy += dy * dy;
  }
  a[2] = a[1];
  const coef = solveNormalEquations(a, b, 2);
  if (!coef) return 0;
  let ss = 0;
  for (let t = 0; t < n; t++) ss += (y[t] - meanY - coef[0] * (t - meanT) - coef[1] * ((t % period) - meanR)) ** 2;
  // Nothing left to explain (a constant series, or one exactly on a line and ramp): no season.
  return ss > 1e-12 * syy ? ss : 0;
}

function strengthAgainstMovingAverage(y: ArrayLike<number>, period: number): number {
  const { trend } = classicalDecomposition(y, period, 'additive');
  const sums = new Float64Array(period);
  const counts = new Float64Array(period);
  let total = 0;
  let m = 0;
  for (let t = 0; t < y.length; t++) {
    if (Number.isNaN(trend[t])) continue;
    const d = y[t] - trend[t];
    sums[t % period] += d;
    counts[t % period]++;
    total += d;
    m++;
  }
  const mean = total / m;
  let ssTotal = 0;
  let ssResidual = 0;
  let groups = 0;
  for (let i = 0; i < period; i++) if (counts[i] > 0) groups++;
  for (let t = 0; t < y.length; t++) {
    if (Number.isNaN(trend[t])) continue;
    const d = y[t] - trend[t];
    ssTotal += (d - mean) ** 2;
    ssResidual += (d - sums[t % period] / counts[t % period]) ** 2;
  }
  if (!(ssTotal > 0) || m - groups <= 0) return 0;
  return 1 - (ssResidual / (m - groups)) / (ssTotal / (m - 1));
}
