import type { FittedModel } from './model-definition.js';
import { nelderMead } from './nelder-mead.js';
import { intervalBands, residualSigma, sesLikeVariance } from './prediction-intervals.js';

/**
 * Croston-type forecasts for intermittent demand. Croston and SBA smooth the non-zero demand
 * sizes and the intervals between them separately, exactly as R's forecast::croston does (SES
 * started at the first value, updated only when demand occurs); TSB smooths the size on demand
 * and the probability of demand every period.
 */

export interface RateFit {
  rate: number; // the per-period demand forecast
  fitted: number[]; // one-step forecasts from the data before each period (NaN for the first)
  sse: number; // in-sample squared one-step error over the defined fits
}

/** Croston (factor 1) or SBA (factor 1 - alpha/2). */
export function crostonRate(y: ArrayLike<number>, alpha: number, factor: number): RateFit {
  const n = y.length;
  const fitted = new Array<number>(n);
  let z = 0; // smoothed demand size
  let p = 0; // smoothed interval
  let count = 0; // non-zero demands seen
  let last = 0; // 1-based position of the last non-zero demand
  let sse = 0;
  const current = () => (count === 0 ? 0 : (z / p) * factor);
  for (let t = 0; t < n; t++) {
    fitted[t] = t === 0 ? Number.NaN : current();
    if (t > 0) sse += (y[t] - fitted[t]) ** 2;
    if (y[t] !== 0) {
      const interval = t + 1 - last;
      last = t + 1;
      if (count === 0) { z = y[t]; p = interval; } else { z += alpha * (y[t] - z); p += alpha * (interval - p); }
      count++;
    }
  }
  return { rate: current(), fitted, sse };
}

/** Teunter-Syntetos-Babai: size smoothed by alpha on demand, probability by beta every period. */
export function tsbRate(y: ArrayLike<number>, alpha: number, beta: number): RateFit {
  const n = y.length;
  const fitted = new Array<number>(n);
  let firstDemand = -1;
  let nonZero = 0;
  for (let t = 0; t < n; t++) if (y[t] !== 0) { nonZero++; if (firstDemand < 0) firstDemand = t; }
  // Start from the first demand size and the overall share of periods with demand.
  let z = firstDemand >= 0 ? y[firstDemand] : 0;
  let prob = nonZero / n;
  let sse = 0;
  for (let t = 0; t < n; t++) {
    fitted[t] = prob * z;
    sse += (y[t] - fitted[t]) ** 2;
    if (y[t] !== 0) { z += alpha * (y[t] - z); prob += beta * (1 - prob); } else { prob -= beta * prob; }
  }
  return { rate: prob * z, fitted, sse };
}

export const INTERMITTENT_ALPHA = { min: 0.01, max: 0.5 };

/** Minimises `sse` over the parameters in [0.01, 0.5] by Nelder-Mead from the middle of a small scan. */
export function estimateSmoothing(dim: number, sse: (x: number[]) => number): number[] {
  let start = new Array<number>(dim).fill(0.1);
  let best = sse(start);
  for (const v of [0.05, 0.2, 0.3]) {
    const x = new Array<number>(dim).fill(v);
    const s = sse(x);
    if (s < best) { best = s; start = x; }
  }
  const lower = new Array<number>(dim).fill(INTERMITTENT_ALPHA.min);
  const upper = new Array<number>(dim).fill(INTERMITTENT_ALPHA.max);
  return nelderMead(sse, start, { lower, upper, tolerance: 1e-10 }).x;
}

/** Flat forecast of the rate with residual-sigma intervals growing as SES with weight alpha. */
export function rateFittedModel(y: ArrayLike<number>, fit: RateFit, alpha: number, parameters: Record<string, number>): FittedModel {
  const sigma = residualSigma(y, fit.fitted);
  return {
    parameters,
    aicc: null,
    sigma,
    fitted: fit.fitted,
    forecast(h, levels) {
      const mean = new Array<number>(h).fill(fit.rate);
      return { mean, intervals: intervalBands(mean, sesLikeVariance(sigma, alpha, h), levels) };
    },
  };
}
