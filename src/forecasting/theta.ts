import { fitEtsForm } from './ets/ets-estimate.js';
import { linearTrend } from './ets/linear-trend.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { intervalBands, residualSigma } from './prediction-intervals.js';
import { shrunkDecomposition } from './seasonal-shrinkage.js';
import { seasonFound, shrinkable } from './season-gate.js';
import { classicalDecomposition } from './decomposition.js';

/**
 * The Theta method of the M3 competition (Assimakopoulos & Nikolopoulos 2000) in the form of
 * Hyndman & Billah (2003) and R's forecast::thetaf(): simple exponential smoothing (ETS(A,N,N) by
 * maximum likelihood) of the seasonally adjusted series plus a drift of (1 - 1/theta) times the
 * slope of its linear trend (theta = 2: half the slope), reseasonalised by the classical
 * multiplicative decomposition. runForecast hands over a period only when the 90% autocorrelation
 * test finds seasonality, as thetaf tests it.
 */

export interface SeasonalAdjustment {
  /** The adjusted series (y itself when no adjustment applies). */
  x: number[];
  /** Seasonal index of observation t (t may run past the history); 1 (multiplicative) or 0 (additive) when not adjusted. */
  index(t: number): number;
  /** Puts the season back into an adjusted value v of observation t (t may run past the history). */
  apply(v: number, t: number): number;
  adjusted: boolean;
  kind: 'multiplicative' | 'additive' | 'none';
  /** The share of the estimated season kept by the shrinkage (1: all, or not shrunk; 0: shrunk away, then kind 'none'). */
  kept: number;
  /** The largest relative change the shrinkage made to one period's forecast (seasonal-shrinkage.ts; 0: none). */
  shift: number;
}

/**
 * thetaf's adjustment: divide by the multiplicative classical decomposition's indices, shrunk
 * towards no season by their noise unless `shrink` is false (seasonal-shrinkage.ts; none left: no
 * adjustment). Where a
 * value is 0 or below (retail series have zeros) ratios are meaningless, so the additive
 * decomposition's indices are subtracted instead: the season is kept, not silently dropped.
 */
export function multiplicativeAdjustment(y: number[], period: number | null, shrink = true): SeasonalAdjustment {
  const none: SeasonalAdjustment = { x: y, index: () => 1, apply: (v) => v, adjusted: false, kind: 'none', kept: 1, shift: 0 };
  if (period === null || period < 2 || y.length < 2 * period) return none;
  const type = y.every((v) => v > 0) ? 'multiplicative' : 'additive';
  // Where the noise cannot be measured the season is all or nothing by the usual gate, so a weak
  // season admitted on a longer history is never fitted whole on a shorter window of it (a grid
  // search's, a cross-validation origin's).
  let indices: number[];
  let kept = 1;
  let shift = 0;
  if (!shrink) indices = classicalDecomposition(y, period, type).indices;
  else if (shrinkable(y.length, period)) ({ indices, kept, shift } = shrunkDecomposition(y, period, type));
  else if (seasonFound(y, period, false)) indices = classicalDecomposition(y, period, type).indices;
  else return { ...none, kept: 0 };
  if (kept === 0) return { ...none, kept, shift };
  if (type === 'additive') {
    return { x: y.map((v, t) => v - indices[t % period]), index: (t) => indices[t % period], apply: (v, t) => v + indices[t % period], adjusted: true, kind: 'additive', kept, shift };
  }
  // thetaf: indices near zero make the adjustment meaningless; fall back to the plain method.
  if (indices.some((s) => Math.abs(s) < 1e-4)) return none;
  return { x: y.map((v, t) => v / indices[t % period]), index: (t) => indices[t % period], apply: (v, t) => v * indices[t % period], adjusted: true, kind: 'multiplicative', kept, shift };
}

export interface ThetaFit {
  alpha: number;
  level: number; // the final SES level
  drift: number; // per-step drift added to the SES forecast
  sigma2: number; // SES residual variance (of the adjusted series)
  n: number;
  fitted: number[];
}

export function fitTheta(x: number[], theta: number): ThetaFit {
  const n = x.length;
  const ses = fitEtsForm(x, 1, { error: 'A', trend: 'N', season: 'N' });
  const slope = n > 1 ? linearTrend(x)[1] : 0;
  return {
    alpha: Math.max(1e-10, ses.params.alpha),
    level: ses.run.final.l,
    drift: theta > 0 ? slope * (1 - 1 / theta) : 0,
    sigma2: ses.sigma2,
    n,
    fitted: Array.from(ses.run.fitted),
  };
}

/** thetaf's point forecasts: l_n + drift ((h - 1) + (1 - (1 - alpha)^n) / alpha). */
export function thetaMean(fit: ThetaFit, h: number): number[] {
  const { alpha, n, drift, level } = fit;
  const catchUp = (1 - (1 - alpha) ** n) / alpha;
  return Array.from({ length: h }, (_, i) => level + drift * (i + catchUp));
}

export function thetaFittedModel(y: number[], period: number | null, theta: number): FittedModel {
  // Unshrunk, as thetaf: the theta model is the M3 method as R computes it.
  const adj = multiplicativeAdjustment(y, period, false);
  const fit = fitTheta(adj.x, theta);
  const n = y.length;
  const fitted = fit.fitted.map((f, t) => adj.apply(f, t));
  return {
    parameters: { theta, alpha: fit.alpha, drift: fit.drift, seasonallyAdjusted: adj.adjusted },
    aicc: null,
    sigma: residualSigma(y, fitted, 2),
    fitted,
    forecast(h, levels) {
      const mean = thetaMean(fit, h).map((v, i) => adj.apply(v, n + i));
      // thetaf: the SES variance sigma^2 (1 + (h - 1) alpha^2), not reseasonalised.
      const variance = mean.map((_, i) => fit.sigma2 * (1 + i * fit.alpha * fit.alpha));
      return { mean, intervals: intervalBands(mean, variance, levels) };
    },
  };
}

export const thetaModel: ModelDefinition = {
  info: {
    id: 'theta',
    name: 'Theta',
    description:
      'The Theta method that won the M3 competition (as R\'s thetaf): exponential smoothing of the seasonally adjusted ' +
      'series with a drift of half its linear trend, reseasonalised. The grid method also tries other theta values.',
    family: 'theta',
    parameters: [
      { name: 'theta', description: 'Weight of the curvature line; drift = (1 - 1/theta) x trend slope (2 = classic Theta)', grid: [1, 1.5, 2, 2.5, 3], min: 1, max: 5, integer: false },
    ],
    seasonal: true,
    intermittent: false,
  },
  minLength: (period) => (period !== null && period > 1 ? 2 * period : 3),
  fit(ctx: SeriesContext, params: ParameterValues | null): FittedModel {
    const theta = params && typeof params.theta === 'number' ? params.theta : 2;
    return thetaFittedModel(ctx.y, ctx.period, theta);
  },
};
