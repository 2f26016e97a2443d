import type { IntervalBand } from './forecast-types.js';
import { normalQuantile, studentTQuantile } from './distributions.js';

/**
 * Builds prediction interval bands from a point forecast and the forecast-error variance at each
 * horizon: mean +/- q * sqrt(variance), with q the normal quantile (or Student t with `df`).
 */
export function intervalBands(mean: ArrayLike<number>, variance: ArrayLike<number>, levels: number[], df?: number): IntervalBand[] {
  return levels.map((level) => {
    const p = 0.5 + level / 200;
    const q = df !== undefined && df > 0 ? studentTQuantile(p, df) : normalQuantile(p);
    const lower: number[] = [];
    const upper: number[] = [];
    for (let i = 0; i < mean.length; i++) {
      const half = q * Math.sqrt(Math.max(0, variance[i]));
      lower.push(mean[i] - half);
      upper.push(mean[i] + half);
    }
    return { level, lower, upper };
  });
}

/**
 * Error variance of a forecast that behaves like simple exponential smoothing with weight `alpha`
 * (Croston, moving averages): sigma^2 (1 + (h-1) alpha^2), the ETS(A,N,N) formula.
 */
export function sesLikeVariance(sigma: number, alpha: number, h: number): Float64Array {
  const v = new Float64Array(h);
  for (let i = 0; i < h; i++) v[i] = sigma * sigma * (1 + i * alpha * alpha);
  return v;
}

/** Root mean square of the finite one-step residuals y - fitted, with `dof` parameters removed. */
export function residualSigma(y: ArrayLike<number>, fitted: ArrayLike<number>, dof = 0): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    const e = y[i] - fitted[i];
    if (Number.isFinite(e)) { s += e * e; k++; }
  }
  const denom = k - dof > 0 ? k - dof : k;
  return denom > 0 ? Math.sqrt(s / denom) : 0;
}
