import { classicalDecomposition, type Decomposition } from './decomposition.js';

/**
 * The classical decomposition's seasonal indices shrunk towards no season by how noisy they are
 * (Miller & Williams 2003, "Shrinkage estimators of time series seasonal factors"): an index is the
 * mean of a few detrended ratios (one per season of history), so on a short or noisy history much
 * of its deviation from 1 (0, additive) is noise, and reseasonalising a forecast with it adds that
 * noise to every future season. The weight kept is
 *
 *   w = max(0, 1 - SHRINKAGE_FACTOR * m * s2 / (k * sum_i (S_i - neutral)^2))
 *
 * with s2 the pooled variance of the ratios around their position's index and k their mean
 * count per position, so s2 / k is the variance of one index: w is about the share of the indices'
 * spread that is signal (the empirical-Bayes weight) at factor 1, and shrinks harder above it.
 * Where no position has two ratios (exactly two seasons) the noise cannot be estimated and the
 * indices are kept as they are. Shrinking towards the neutral value keeps their mean 1 (sum 0).
 */

/**
 * Twice the empirical-Bayes weight's shrinkage. Chosen on validation origins of M3's training data
 * (bench/validate-ensemble.ts and bench/choice-dump.ts, docs/forecasting.md, Seasonality), never on
 * its test periods: factors 1-3 scored alike, 2 best, and all beat no shrinkage.
 */
export const SHRINKAGE_FACTOR = 2;

export interface ShrunkDecomposition extends Decomposition {
  /** The share of the indices' deviation kept, in [0, 1] (1: unshrunk). */
  kept: number;
}

export function shrunkDecomposition(y: ArrayLike<number>, period: number, type: 'multiplicative' | 'additive', shrink = true): ShrunkDecomposition {
  const d = classicalDecomposition(y, period, type);
  if (!shrink) return { ...d, kept: 1 };
  const neutral = type === 'additive' ? 0 : 1;
  const sums = new Float64Array(period);
  const squares = new Float64Array(period);
  const counts = new Float64Array(period);
  for (let t = 0; t < y.length; t++) {
    if (Number.isNaN(d.trend[t])) continue;
    const r = type === 'additive' ? y[t] - d.trend[t] : y[t] / d.trend[t];
    if (!Number.isFinite(r)) continue;
    sums[t % period] += r;
    squares[t % period] += r * r;
    counts[t % period]++;
  }
  let within = 0, df = 0, total = 0;
  for (let i = 0; i < period; i++) {
    if (counts[i] === 0) return { ...d, kept: 1 };
    within += squares[i] - (sums[i] * sums[i]) / counts[i];
    df += counts[i] - 1;
    total += counts[i];
  }
  if (df < 1) return { ...d, kept: 1 };
  const indexVariance = Math.max(0, within) / df / (total / period);
  const spread = d.indices.reduce((a, s) => a + (s - neutral) ** 2, 0);
  const kept = spread > 0 ? Math.max(0, 1 - (SHRINKAGE_FACTOR * period * indexVariance) / spread) : 0;
  if (kept === 1) return { ...d, kept };
  const indices = d.indices.map((s) => neutral + kept * (s - neutral));
  return { indices, seasonal: Array.from({ length: y.length }, (_, t) => indices[t % period]), trend: d.trend, kept };
}
