/**
 * The ETS recursions of R's etscalc (forecast package, C), written as tight loops over
 * Float64Array: the likelihood is evaluated thousands of times per series during estimation.
 *
 * Seasonal states live in a ring buffer in chronological order: ring[ptr] is the state of the
 * season about to be observed (s_{t-m}); after the update it holds s_t and ptr moves on.
 */
export const SEASON_NONE = 0;
export const SEASON_ADD = 1;
export const SEASON_MULT = 2;

export interface EtsSpec {
  multError: boolean;
  trend: boolean;
  season: number; // SEASON_*
  m: number; // seasonal period (1 when season is none)
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number; // 1 for an undamped trend
}

const TOL = 1e-10;
const HUGE = 1e10;

/** Positions in the vector etsLikelihoodOf reads: the parameters, then the initial level and trend. */
export const THETA_ALPHA = 0;
export const THETA_BETA = 1;
export const THETA_GAMMA = 2;
export const THETA_PHI = 3;
export const THETA_L0 = 4;
export const THETA_B0 = 5;

const scratch = new Float64Array(6);

/**
 * R's ets likelihood criterion: n log(sum e^2) + 2 sum log|f| (the latter for multiplicative error).
 * Returns +Infinity where the recursion leaves the region where the model is defined.
 * The readable form, kept for ets-kernel.test.ts: the engine's objective calls etsLikelihoodOf
 * with its trial vector, which this fills from named parameters.
 */
export function etsLikelihood(
  y: Float64Array, spec: EtsSpec, p: EtsParams, l0: number, b0: number, seasons: Float64Array, ring: Float64Array,
): number {
  scratch[THETA_ALPHA] = p.alpha;
  scratch[THETA_BETA] = p.beta;
  scratch[THETA_GAMMA] = p.gamma;
  scratch[THETA_PHI] = p.phi;
  scratch[THETA_L0] = l0;
  scratch[THETA_B0] = b0;
  return etsLikelihoodOf(y, spec, scratch, seasons, ring);
}

/**
 * etsLikelihood with the parameters and initial states read from one Float64Array (THETA_*): the
 * estimator calls it thousands of times per fit, and doubles passed as arguments or kept in an
 * object's fields are boxed on the heap at every call (a sixth of the bytes a 48-month SKU
 * allocated), where a typed array holds them unboxed.
 */
export function etsLikelihoodOf(y: Float64Array, spec: EtsSpec, theta: Float64Array, seasons: Float64Array, ring: Float64Array): number {
  const n = y.length;
  const m = spec.m;
  const season = spec.season;
  const multError = spec.multError;
  const alpha = theta[THETA_ALPHA], gamma = theta[THETA_GAMMA], phi = theta[THETA_PHI];
  const beta = spec.trend ? theta[THETA_BETA] : 0;
  let l = theta[THETA_L0];
  let b = spec.trend ? theta[THETA_B0] : 0;
  if (season !== SEASON_NONE) for (let k = 0; k < m; k++) ring[k] = seasons[k];
  let ptr = 0;
  let sse = 0;
  let logSum = 0;
  // sum log f as log of running products: one Math.log per ~dozens of steps instead of per step.
  let prod = 1;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const phib = phi * b;
    const q = l + phib;
    let f: number;
    let err: number;
    if (season === SEASON_NONE) {
      f = q;
      err = yi - q;
    } else {
      const so = ring[ptr];
      let t: number;
      if (season === SEASON_ADD) {
        f = q + so;
        err = yi - so - q;
        t = yi - q;
      } else {
        f = q * so;
        err = (Math.abs(so) < TOL ? HUGE : yi / so) - q;
        t = Math.abs(q) < TOL ? HUGE : yi / q;
      }
      ring[ptr] = so + gamma * (t - so);
      ptr = ptr + 1 === m ? 0 : ptr + 1;
    }
    if (multError) {
      if (!(f > TOL)) return Number.POSITIVE_INFINITY;
      const e = (yi - f) / f;
      sse += e * e;
      prod *= f;
      if (prod > 1e150 || prod < 1e-150) { logSum += Math.log(prod); prod = 1; }
    } else {
      const e = yi - f;
      sse += e * e;
    }
    l = q + alpha * err;
    b = phib + beta * err;
  }
  if (multError) logSum += Math.log(prod);
  const lik = n * Math.log(sse) + 2 * logSum;
  if (Number.isNaN(lik)) return Number.POSITIVE_INFINITY;
  return lik < -1e10 ? -1e10 : lik;
}

export interface EtsState {
  l: number;
  b: number;
  ring: Float64Array; // seasonal states, ring[ptr] = the season of the next period
  ptr: number;
}

export interface EtsRun {
  fitted: Float64Array;
  residuals: Float64Array; // e_t: y - f (additive error) or (y - f) / f (multiplicative)
  lik: number;
  final: EtsState;
}

/** One pass of the recursions that keeps what the likelihood loop throws away. */
export function etsFilter(
  y: Float64Array, spec: EtsSpec, p: EtsParams, l0: number, b0: number, seasons: Float64Array,
): EtsRun {
  const n = y.length;
  const m = spec.m;
  const season = spec.season;
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  const ring = new Float64Array(Math.max(1, m));
  if (season !== SEASON_NONE) for (let k = 0; k < m; k++) ring[k] = seasons[k];
  let l = l0;
  let b = spec.trend ? b0 : 0;
  let ptr = 0;
  let sse = 0;
  let logSum = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const phib = p.phi * b;
    const q = l + phib;
    let f = q;
    let p0 = yi;
    let so = 0;
    if (season === SEASON_ADD) {
      so = ring[ptr];
      f = q + so;
      p0 = yi - so;
    } else if (season === SEASON_MULT) {
      so = ring[ptr];
      f = q * so;
      p0 = Math.abs(so) < TOL ? HUGE : yi / so;
    }
    fitted[i] = f;
    const e = spec.multError ? (yi - f) / f : yi - f;
    residuals[i] = e;
    sse += e * e;
    if (spec.multError) logSum += Math.log(Math.abs(f));
    const err = p0 - q;
    l = q + p.alpha * err;
    if (spec.trend) b = phib + p.beta * err;
    if (season !== SEASON_NONE) {
      const t = season === SEASON_ADD ? yi - q : Math.abs(q) < TOL ? HUGE : yi / q;
      ring[ptr] = so + p.gamma * (t - so);
      ptr = ptr + 1 === m ? 0 : ptr + 1;
    }
  }
  return { fitted, residuals, lik: n * Math.log(sse) + 2 * logSum, final: { l, b, ring, ptr } };
}
