import { memoFit } from '../fit-memo.js';
import { nelderMead } from '../nelder-mead.js';
import { type EtsForm, formName } from './ets-form.js';
import { initialState } from './ets-initial-state.js';
import {
  type EtsParams, type EtsRun, type EtsSpec, etsFilter, etsLikelihoodOf, SEASON_ADD, SEASON_MULT, SEASON_NONE,
  THETA_ALPHA, THETA_B0, THETA_BETA, THETA_GAMMA, THETA_L0, THETA_PHI,
} from './ets-kernel.js';

/** R's default "usual" bounds for alpha, beta, gamma and phi. */
export const BOUNDS = { lower: [1e-4, 1e-4, 1e-4, 0.8], upper: [0.9999, 0.9999, 0.9999, 0.98] };

export interface EtsFitOptions {
  /** Also estimate the m - 1 free initial seasonal states (as R does); default false: keep the
   *  decomposition's, which cuts a 17-dimensional search for monthly data to at most 6. */
  optimizeSeasonalStates?: boolean;
  maxIterations?: number;
  /** Seasons of data the decomposition for the initial seasonal states uses: R takes 3; the default,
   *  the whole history, gives a clearly better likelihood on M3 (mean AICc -7 on monthly series). */
  seasonWindow?: number;
  /** Nelder-Mead iterations per searched dimension when maxIterations is not given (default 200, R's optim uses 2000 in all). */
  iterationsPerDimension?: number;
  /** Relative spread of the simplex's likelihoods to stop at (default 1e-6; 1e-8 costs twice the
   *  time for a mean AICc gain of 0.08 on M3 monthly series). */
  tolerance?: number;
  /**
   * Also stop once the simplex's likelihoods (-2 log L, AICc's units) are this close (default 0:
   * off): the screening of fits that only score (scoring-tolerance.ts). Independent of the data's
   * units, which shift the likelihood by a constant.
   */
  absoluteTolerance?: number;
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

/**
 * Fits one ETS form by maximum likelihood (R's criterion), bounded Nelder-Mead. Within one
 * runForecast a repeat of the same fit (same values, period, form and options) returns the first
 * result (fit-memo.ts): the caller must not mutate it.
 */
export function fitEtsForm(yIn: ArrayLike<number>, m: number, form: EtsForm, options: EtsFitOptions = {}): EtsFit {
  return memoFit(memoKey(m, form, options), yIn, () => fitEtsFormOnce(yIn, m, form, options));
}

/** -0 apart from 0 (String(-0) is "0"); otherwise String round-trips every double. */
const num = (v: number | undefined): string => (v === undefined ? '' : Object.is(v, -0) ? '-0' : String(v));

/**
 * Everything besides the values that a fit depends on. `rest` must be empty: a new EtsFitOptions
 * field fails the typecheck here until the key names it, rather than letting the memo hand back a
 * fit made with other options.
 */
function memoKey(m: number, form: EtsForm, options: EtsFitOptions): string {
  const { optimizeSeasonalStates, maxIterations, seasonWindow, iterationsPerDimension, tolerance, absoluteTolerance, fixed = {}, ...rest } = options;
  const unkeyed: Record<string, never> = rest;
  void unkeyed;
  return `ets|${num(m)}|${formName(form)}|${num(fixed.alpha)}|${num(fixed.beta)}|${num(fixed.gamma)}|${num(fixed.phi)}|${optimizeSeasonalStates}|${num(maxIterations)}|${num(seasonWindow)}|${num(iterationsPerDimension)}|${num(tolerance)}|${num(absoluteTolerance)}`;
}

function fitEtsFormOnce(yIn: ArrayLike<number>, m: number, form: EtsForm, options: EtsFitOptions): EtsFit {
  const y = yIn instanceof Float64Array ? yIn : Float64Array.from(yIn as ArrayLike<number>);
  const n = y.length;
  const spec = specOf(form, m);
  const mm = spec.m;
  const fixed = options.fixed ?? {};
  options = { iterationsPerDimension: 200, ...options };
  const init = initialState(y, mm, form, options.seasonWindow ?? Number.POSITIVE_INFINITY);
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

  const unpackSeasons = (x: number[]): boolean => {
    let sum = 0;
    for (let k = 1; k < mm; k++) {
      seasons[k] = x[iS + k - 1];
      if (mult && seasons[k] <= 0) return false;
      sum += seasons[k];
    }
    seasons[0] = (mult ? mm : 0) - sum;
    return !(mult && seasons[0] <= 0);
  };
  const unpack = (x: number[]): boolean => {
    if (iAlpha >= 0) p.alpha = x[iAlpha];
    if (iBeta >= 0) p.beta = x[iBeta];
    if (iGamma >= 0) p.gamma = x[iGamma];
    if (iPhi >= 0) p.phi = x[iPhi];
    if (hasTrend && p.beta > p.alpha) return false;
    if (hasSeason && p.gamma > 1 - p.alpha) return false;
    return !optSeas || unpackSeasons(x);
  };
  // The objective's trial values, unboxed (etsLikelihoodOf); p is set from the optimum only.
  const theta = new Float64Array(6);
  theta[THETA_ALPHA] = p.alpha;
  theta[THETA_BETA] = p.beta;
  theta[THETA_GAMMA] = p.gamma;
  theta[THETA_PHI] = p.phi;
  const objective = (x: number[]): number => {
    // unpack's checks and seasonal writes, in its order, on theta instead of p.
    if (iAlpha >= 0) theta[THETA_ALPHA] = x[iAlpha];
    if (iBeta >= 0) theta[THETA_BETA] = x[iBeta];
    if (iGamma >= 0) theta[THETA_GAMMA] = x[iGamma];
    if (iPhi >= 0) theta[THETA_PHI] = x[iPhi];
    if (hasTrend && theta[THETA_BETA] > theta[THETA_ALPHA]) return Number.POSITIVE_INFINITY;
    if (hasSeason && theta[THETA_GAMMA] > 1 - theta[THETA_ALPHA]) return Number.POSITIVE_INFINITY;
    if (optSeas && !unpackSeasons(x)) return Number.POSITIVE_INFINITY;
    theta[THETA_L0] = x[iL];
    theta[THETA_B0] = iB >= 0 ? x[iB] : 0;
    return etsLikelihoodOf(y, spec, theta, seasons, ring);
  };

  let evaluations = 0;
  let best = x0;
  const maxIt = (dim: number) => options.maxIterations ?? options.iterationsPerDimension! * dim;
  if (x0.length > 0) {
    // Stage 1: smoothing parameters, level and trend, with the decomposition's seasonal states.
    const k1 = optSeas ? iS : x0.length;
    const full = x0.slice();
    const stage1 = optSeas ? (x: number[]) => { for (let i = 0; i < k1; i++) full[i] = x[i]; return objective(full); } : objective;
    const res = nelderMead(stage1, x0.slice(0, k1), {
      lower: lower.slice(0, k1), upper: upper.slice(0, k1), maxIterations: maxIt(k1), tolerance: options.tolerance ?? 1e-6,
      absoluteTolerance: options.absoluteTolerance,
    });
    evaluations = res.evaluations;
    best = Number.isFinite(res.value) ? res.x.concat(x0.slice(k1)) : x0;
    if (optSeas) {
      // Stage 2: everything, including the m - 1 free seasonal states, started both from the stage 1
      // optimum and from R's start (either can sit in the better basin); restarts rebuild a simplex
      // that collapsed in some directions.
      let value = res.value;
      for (const from of [best, x0]) {
        let x = from;
        let v = Number.POSITIVE_INFINITY;
        for (let restart = 0; restart < 3; restart++) {
          const r = nelderMead(objective, x, { lower, upper, maxIterations: maxIt(x0.length), tolerance: options.tolerance ?? 1e-6, absoluteTolerance: options.absoluteTolerance });
          evaluations += r.evaluations;
          // A restart that gains less than the fit's own stopping tolerance gained nothing it asked for.
          if (!(r.value < v - Math.max(1e-9, options.absoluteTolerance ?? 0))) break;
          x = r.x;
          v = r.value;
        }
        if (v < value) { best = x; value = v; }
      }
    }
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
