import { nelderMead } from './nelder-mead.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { intervalBands, residualSigma } from './prediction-intervals.js';
import { SCORING_TOLERANCE } from './scoring-tolerance.js';
import { shrinkageNote } from './seasonal-shrinkage.js';
import { multiplicativeAdjustment } from './theta.js';

/**
 * The Dynamic Optimised Theta Model (DOTM) of Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler
 * (2016), as in forecTheta::dotm and statsforecast's DynamicOptimizedTheta. Unlike Theta (thetaf),
 * whose trend line is the least-squares line of the whole history, the line's intercept A_t and
 * slope B_t are updated at every step from the data seen so far, and the forecast is
 *   mu_t = l_{t-1} + (1 - 1/theta) (A_{t-1} (1 - alpha)^t + B_{t-1} (1 - (1 - alpha)^(t+1)) / alpha)
 * with l_t the SES level. alpha, theta and the initial level minimise the in-sample one-step
 * squared errors (from the fourth observation on, as the references do) by bounded Nelder-Mead.
 * Forecasts run the same recursion with the forecasts standing in for the data.
 * Seasonality as Theta: the classical multiplicative adjustment where runForecast passed a period.
 */

export interface DynamicThetaFit {
  alpha: number;
  theta: number;
  l0: number;
  sse: number;
  fitted: number[];
  /** The states after the last observation: level, mean, A, B, and t = n. */
  final: { level: number; meany: number; a: number; b: number; n: number };
}

interface Run { sse: number; level: number; meany: number; a: number; b: number }

/** One pass over x; fills `fitted` when given. Index i is 0-based, as in the references. */
function filter(x: ArrayLike<number>, alpha: number, w: number, l0: number, fitted?: number[]): Run {
  const n = x.length;
  let level = alpha * x[0] + (1 - alpha) * l0;
  let meany = x[0];
  let a = x[0];
  let b = 0;
  let sse = 0;
  if (fitted) fitted[0] = x[0];
  let decay = 1 - alpha; // (1 - alpha)^i
  for (let i = 1; i < n; i++) {
    const mu = level + w * (a * decay + (b * (1 - decay * (1 - alpha))) / alpha);
    if (fitted) fitted[i] = mu;
    const e = x[i] - mu;
    if (i >= 3) sse += e * e;
    level = alpha * x[i] + (1 - alpha) * level;
    const newMean = (i * meany + x[i]) / (i + 1);
    b = ((i - 1) * b + (6 * (x[i] - meany)) / (i + 1)) / (i + 2);
    meany = newMean;
    a = meany - (b * (i + 2)) / 2;
    decay *= 1 - alpha;
  }
  return { sse, level, meany, a, b };
}

/** tolerance: Nelder-Mead's (scoring-tolerance.ts); 1e-8 for a fit that is shown. */
export function fitDynamicTheta(x: number[], tolerance = 1e-8): DynamicThetaFit {
  const n = x.length;
  let scale = 0;
  for (const v of x) scale = Math.max(scale, Math.abs(v));
  scale = Math.max(scale, 1e-8);
  // Parameters: alpha in [0.1, 0.99] (the references' bounds), w = 1 - 1/theta in [0, 0.99]
  // (theta in [1, 100]), the initial level within two scales of the first value.
  const objective = (p: number[]) => filter(x, p[0], p[1], p[2]).sse;
  const best = nelderMead(objective, [0.5, 0.5, x[0] / 2], {
    lower: [0.1, 0, x[0] - 2 * scale],
    upper: [0.99, 0.99, x[0] + 2 * scale],
    tolerance,
    maxIterations: 400,
  });
  const [alpha, w, l0] = best.x;
  const fitted = new Array<number>(n);
  const r = filter(x, alpha, w, l0, fitted);
  return { alpha, theta: 1 / (1 - w), l0, sse: r.sse, fitted, final: { level: r.level, meany: r.meany, a: r.a, b: r.b, n } };
}

/** Point forecasts: the recursion continued with each forecast standing in for the observation. */
export function dynamicThetaMean(fit: DynamicThetaFit, h: number): number[] {
  const { alpha } = fit;
  const w = 1 - 1 / fit.theta;
  let { level, meany, a, b } = fit.final;
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    const i = fit.final.n + k;
    const decay = (1 - alpha) ** i;
    const mu = level + w * (a * decay + (b * (1 - decay * (1 - alpha))) / alpha);
    out.push(mu);
    level = alpha * mu + (1 - alpha) * level;
    const newMean = (i * meany + mu) / (i + 1);
    b = ((i - 1) * b + (6 * (mu - meany)) / (i + 1)) / (i + 2);
    meany = newMean;
    a = meany - (b * (i + 2)) / 2;
  }
  return out;
}

export function dynamicThetaFittedModel(y: number[], period: number | null, tolerance?: number, adj = multiplicativeAdjustment(y, period)): FittedModel {
  const fit = fitDynamicTheta(adj.x, tolerance);
  const n = y.length;
  const fitted = fit.fitted.map((f, t) => adj.apply(f, t));
  // The references' error variance: the SES one, sigma^2 (1 + (h - 1) alpha^2).
  const sigma2 = fit.sse / Math.max(1, n - 3 - 3);
  const note = period !== null ? shrinkageNote(period, adj.kept, adj.shift) : null;
  return {
    ...(note ? { warnings: [note] } : {}),
    parameters: { alpha: fit.alpha, theta: fit.theta, initialLevel: fit.l0, seasonallyAdjusted: adj.adjusted, ...(period !== null && adj.kept < 1 ? { seasonKept: adj.kept } : {}) },
    aicc: null,
    sigma: residualSigma(y, fitted, 3),
    fitted,
    forecast(h, levels) {
      const mean = dynamicThetaMean(fit, h).map((v, i) => adj.apply(v, n + i));
      // As thetaf (and our theta model): the variance stays on the adjusted scale, not reseasonalised.
      const variance = mean.map((_, i) => sigma2 * (1 + i * fit.alpha * fit.alpha));
      return { mean, intervals: intervalBands(mean, variance, levels) };
    },
  };
}

export const dynamicThetaModel: ModelDefinition = {
  shrinksSeason: true,
  info: {
    id: 'dynamic_theta',
    name: 'Dynamic optimised Theta',
    description:
      'Theta with its trend line updated as the data arrive and theta, alpha and the initial level estimated ' +
      '(Fiorucci et al. 2016, DOTM); seasonally adjusted first where a season is found.',
    family: 'theta',
    parameters: [],
    seasonal: true,
    intermittent: false,
  },
  minLength: () => 5,
  fit(ctx: SeriesContext, _params: ParameterValues | null): FittedModel {
    return dynamicThetaFittedModel(ctx.y, ctx.period, ctx.scoring ? SCORING_TOLERANCE.dynamicTheta : undefined);
  },
};
