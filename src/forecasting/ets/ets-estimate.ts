import { nelderMead } from '../nelder-mead.js';
import { type EtsForm, formName } from './ets-form.js';
import { initialState } from './ets-initial-state.js';
import {
  type EtsParams, type EtsRun, type EtsSpec, etsFilter, etsLikelihood, SEASON_ADD, SEASON_MULT, SEASON_NONE,
} from './ets-kernel.js';

/** R's default "usual" bounds for alpha, beta, gamma and phi. */
export const BOUNDS = { lower: [1e-4, 1e-4, 1e-4, 0.8], upper: [0.9999, 0.9999, 0.9999, 0.98] };

export interface EtsFitOptions {
  /** Also estimate the m - 1 free initial seasonal states (as R does); default false: keep the
   *  decomposition's, which cuts a 17-dimensional search for monthly data to at most 6. */
  optimizeSeasonalStates?: boolean;
  maxIterations?: number;
  tolerance?: number;
  /** Fixed smoothing parameters (the rest are estimated). */
  fixed?: Partial<EtsParams>;
}

export interface EtsFit {
  form: EtsForm;
  name: string;
  m: number;
  params: EtsParams;
  l0: number;
  b0: number;
  seasons: Float64Array;
  lik: number;
  aicc: number;
  aic: number;
  /** Residual variance: sum e^2 / (n - number of estimated values), as R's ets. */
  sigma2: number;
  run: EtsRun;
  evaluations: number;
}

export function specOf(form: EtsForm, m: number): EtsSpec {
  const season = form.season === 'A' ? SEASON_ADD : form.season === 'M' ? SEASON_MULT : SEASON_NONE;
  return { multError: form.error === 'M', trend: form.trend !== 'N', season, m: season === SEASON_NONE ? 1 : m };
}

/** R's initparam(): a start that sits well inside the usual region. */
function startParams(form: EtsForm, m: number, fixed: Partial<EtsParams>): EtsParams {
  const { lower, upper } = BOUNDS;
  const alpha = fixed.alpha ?? lower[0] + (0.2 * (upper[0] - lower[0])) / (form.season === 'N' ? 1 : m);
  let beta = fixed.beta ?? lower[1] + 0.1 * (upper[1] - lower[1]);
  if (fixed.beta === undefined && beta > alpha) beta = alpha - 1e-3 > lower[1] ? alpha - 1e-3 : lower[1];
  let gamma = fixed.gamma ?? lower[2] + 0.05 * (upper[2] - lower[2]);
  if (fixed.gamma === undefined && gamma > 1 - alpha) gamma = 0.95 - alpha;
  const phi = fixed.phi ?? lower[3] + 0.99 * (upper[3] - lower[3]);
  return { alpha, beta, gamma, phi };
}

/** Fits one ETS form by maximum likelihood (R's criterion), bounded Nelder-Mead. */
export function fitEtsForm(yIn: ArrayLike<number>, m: number, form: EtsForm, options: EtsFitOptions = {}): EtsFit {
  const y = yIn instanceof Float64Array ? yIn : Float64Array.from(yIn as ArrayLike<number>);
  const n = y.length;
  const spec = specOf(form, m);
  const mm = spec.m;
  const fixed = options.fixed ?? {};
  const init = initialState(y, mm, form);
  const start = startParams(form, mm, fixed);
  const hasTrend = form.trend !== 'N';
  const damped = form.trend === 'Ad';
  const hasSeason = form.season !== 'N';
  const optSeas = hasSeason && options.optimizeSeasonalStates === true;

  // Layout of the search vector: [alpha?, beta?, gamma?, phi?, l0, b0?, s1..s_{m-1}?]
  const x0: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const push = (v: number, lo: number, hi: number) => { x0.push(v); lower.push(lo); upper.push(hi); };
  const iAlpha = fixed.alpha === undefined ? x0.length : -1;
  if (iAlpha >= 0) push(start.alpha, BOUNDS.lower[0], BOUNDS.upper[0]);
  const iBeta = hasTrend && fixed.beta === undefined ? x0.length : -1;
  if (iBeta >= 0) push(start.beta, BOUNDS.lower[1], BOUNDS.upper[1]);
  const iGamma = hasSeason && fixed.gamma === undefined ? x0.length : -1;
  if (iGamma >= 0) push(start.gamma, BOUNDS.lower[2], BOUNDS.upper[2]);
  const iPhi = damped && fixed.phi === undefined ? x0.length : -1;
  if (iPhi >= 0) push(start.phi, BOUNDS.lower[3], BOUNDS.upper[3]);
  const nSmoothing = x0.length;
  const iL = x0.length;
  push(init.l, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const iB = hasTrend ? x0.length : -1;
  if (iB >= 0) push(init.b, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const iS = optSeas ? x0.length : -1;
  if (optSeas) for (let k = 1; k < mm; k++) push(init.seasons[k], Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);

  const seasons = hasSeason ? Float64Array.from(init.seasons) : new Float64Array(0);
  const ring = new Float64Array(Math.max(1, mm));
  const p: EtsParams = { alpha: start.alpha, beta: hasTrend ? start.beta : 0, gamma: hasSeason ? start.gamma : 0, phi: damped ? start.phi : 1 };
  const mult = form.season === 'M';

  const unpack = (x: number[]): boolean => {
    if (iAlpha >= 0) p.alpha = x[iAlpha];
    if (iBeta >= 0) p.beta = x[iBeta];
    if (iGamma >= 0) p.gamma = x[iGamma];
    if (iPhi >= 0) p.phi = x[iPhi];
    if (hasTrend && p.beta > p.alpha) return false;
    if (hasSeason && p.gamma > 1 - p.alpha) return false;
    if (optSeas) {
      let sum = 0;
      for (let k = 1; k < mm; k++) {
        seasons[k] = x[iS + k - 1];
        if (mult && seasons[k] <= 0) return false;
        sum += seasons[k];
      }
      seasons[0] = (mult ? mm : 0) - sum;
      if (mult && seasons[0] <= 0) return false;
    }
    return true;
  };
  const objective = (x: number[]): number => {
    if (!unpack(x)) return Number.POSITIVE_INFINITY;
    return etsLikelihood(y, spec, p, x[iL], iB >= 0 ? x[iB] : 0, seasons, ring);
  };

  let evaluations = 0;
  let best = x0;
  if (x0.length > 0) {
    const dim = x0.length;
    const res = nelderMead(objective, x0, {
      lower, upper,
      maxIterations: options.maxIterations ?? 200 * dim,
      tolerance: options.tolerance ?? 1e-8,
    });
    evaluations = res.evaluations;
    best = res.x;
    if (!Number.isFinite(res.value)) best = x0;
  }
  unpack(best);
  const l0 = best[iL];
  const b0 = iB >= 0 ? best[iB] : 0;
  const run = etsFilter(y, spec, p, l0, b0, seasons);
  // R counts the m - 1 free seasonal states even when we keep them at the decomposition's values.
  const k = nSmoothing + 1 + (hasTrend ? 1 : 0) + (hasSeason ? mm - 1 : 0);
  const np = k + 1; // + sigma
  const lik = run.lik;
  const aic = lik + 2 * np;
  const aicc = n - np - 1 > 0 ? aic + (2 * np * (np + 1)) / (n - np - 1) : Number.POSITIVE_INFINITY;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += run.residuals[i] ** 2;
  const sigma2 = sse / Math.max(1, n - k);
  return {
    form, name: formName(form), m: mm, params: { ...p }, l0, b0, seasons: Float64Array.from(seasons),
    lik, aic, aicc: Number.isFinite(lik) ? aicc : Number.POSITIVE_INFINITY, sigma2, run, evaluations,
  };
}
