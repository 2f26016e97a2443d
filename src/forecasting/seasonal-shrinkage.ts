import { classicalDecomposition, type Decomposition } from './decomposition.js';

/**
 * The classical decomposition's seasonal indices shrunk towards no season by how noisy they are
 * (after Miller & Williams 2003, "Shrinkage estimators of time series seasonal factors and their
 * effect on forecasting accuracy", IJF 19): an index is the mean of a few detrended ratios (one per
 * season of history), so on a short or noisy history much of its distance from 1 (0, additive) is
 * noise, and reseasonalising a forecast with it puts that noise into every future season. The share
 * of the indices' deviation kept is
 *
 *   w = max(0, 1 - SHRINKAGE_FACTOR * ((m - 1) / m) * s2 * sum_i (1 / c_i) / sum_i (S_i - neutral)^2)
 *
 * with s2 the pooled variance of the ratios around their position's index and c_i the number of
 * ratios at position i: without a season the indices' spread is expected to be about
 * ((m - 1) / m) s2 sum_i (1 / c_i), so at factor 1 w is the empirical-Bayes share of the spread that
 * is signal, and a larger factor shrinks harder. Shrinking towards the neutral value keeps the
 * indices' mean 1 (sum 0). Only for histories that leave the noise enough degrees of freedom
 * (season-gate.ts `shrinkable`); multiplicativeAdjustment (theta.ts) decides the others.
 */

/**
 * How hard the indices are shrunk, in units of the empirical-Bayes weight: 1, the weight itself.
 * Compared with 0.5-3 on validation origins of M3's training data (docs/forecasting.md,
 * Seasonality), never on its test periods.
 */
const SHRINKAGE_FACTOR = 1;

interface ShrunkDecomposition extends Decomposition {
  /** The share of the indices' deviation kept, in [0, 1] (1: unshrunk). */
  kept: number;
  /**
   * The largest relative change the shrinkage makes to one period's reseasonalised forecast (0:
   * none): |S' - S| / S for multiplicative indices, |S' - S| / the trend's mean level for additive
   * ones. What a planner sees move, which `kept` alone does not say (a trough index of 0.05 kept at
   * 92% more than doubles that month's forecast).
   */
  shift: number;
}

export function shrunkDecomposition(y: ArrayLike<number>, period: number, type: 'multiplicative' | 'additive'): ShrunkDecomposition {
  const d = classicalDecomposition(y, period, type);
  const neutral = type === 'additive' ? 0 : 1;
  const sums = new Float64Array(period);
  const squares = new Float64Array(period);
  const counts = new Float64Array(period);
  for (let t = 0; t < y.length; t++) {
    if (Number.isNaN(d.trend[t])) continue;
    const r = type === 'additive' ? y[t] - d.trend[t] : y[t] / d.trend[t];
    sums[t % period] += r;
    squares[t % period] += r * r;
    counts[t % period]++;
  }
  let within = 0, df = 0, inverseCounts = 0;
  for (let i = 0; i < period; i++) {
    within += squares[i] - (sums[i] * sums[i]) / counts[i];
    df += counts[i] - 1;
    inverseCounts += 1 / counts[i];
  }
  const noise = ((period - 1) / period) * (Math.max(0, within) / df) * inverseCounts;
  const spread = d.indices.reduce((a, s) => a + (s - neutral) ** 2, 0);
  const kept = spread > 0 ? Math.max(0, 1 - (SHRINKAGE_FACTOR * noise) / spread) : 0;
  if (kept === 1) return { ...d, kept, shift: 0 };
  const indices = d.indices.map((s) => neutral + kept * (s - neutral));
  return { indices, seasonal: Array.from({ length: y.length }, (_, t) => indices[t % period]), trend: d.trend, kept, shift: forecastShift(d, indices, type) };
}

function forecastShift(d: Decomposition, shrunk: number[], type: 'multiplicative' | 'additive'): number {
  let level = 1;
  if (type === 'additive') {
    let sum = 0, n = 0;
    for (const v of d.trend) if (!Number.isNaN(v)) { sum += v; n++; }
    level = n > 0 ? Math.abs(sum / n) : 0;
  }
  let shift = 0;
  d.indices.forEach((s, i) => {
    const scale = type === 'additive' ? level : Math.abs(s);
    shift = Math.max(shift, scale > 0 ? Math.abs(shrunk[i] - s) / scale : Infinity);
  });
  return shift;
}

/**
 * A shrinkage that moves no period's forecast by a tenth or more is not worth a planner's note: the
 * SKU panel lists every model's notes, and most strong seasons lose a few percent of their size.
 * Judged on the forecast's change (`shift`), not on the share kept: on M3's monthly series 2 of the
 * shrunk seasons kept over 90% yet moved a month's forecast by more than 10% (a trough index of 0.045
 * became 0.118), and most of those kept under 90% moved no month by 5%.
 */
export const SHRINKAGE_NOTED_FROM = 0.1;

/**
 * What a planner is told where a model's season was shrunk enough to move a period's forecast by
 * SHRINKAGE_NOTED_FROM or more (null: it was not). Percentages are kept between 1% and 99% so a
 * shrunk season never reads as "0%" (dropped) or "100%" (untouched): a season kept at 99.6% still
 * moves a trough index of 0.03 by 13% (|S' - S| / S grows as S nears 0). The share kept is in the
 * model's parameters (`seasonKept`) whether or not it is noted.
 */
export function shrinkageNote(period: number, kept: number, shift: number): string | null {
  if (kept >= 1 || !(shift >= SHRINKAGE_NOTED_FROM)) return null;
  if (kept <= 0) return `the seasonal pattern (every ${period} periods) is too weak against the noise to use; forecast without one`;
  const pct = Math.min(99, Math.max(1, Math.round(100 * kept)));
  return `seasonal pattern (every ${period} periods) reduced to ${pct}% of its estimated size: the rest is estimated to be noise`;
}
