import { type ArmaLikelihood, armaKalman, minusTwoLogLikelihood } from './arima-likelihood.js';
import { nelderMead } from './nelder-mead.js';

/**
 * The maximum-likelihood refit of one ARIMA order (R's "CSS-ML": conditional sum of squares first,
 * then the exact likelihood from there). The coefficients are estimated by Nelder-Mead from the CSS
 * estimates; the mean or drift of the differenced series stays at mu0 (the sample mean), or with
 * estimateMean is estimated jointly with them, from mu0, as R does. `polys` expands coefficients into dense phi / theta by lag, or
 * answers null where they are not admissible (stationary AR, invertible MA), which the search
 * treats as an infinite criterion. Null when the likelihood cannot be evaluated at the start:
 * the caller keeps its CSS fit.
 */

export interface MlFit {
  coef: number[];
  mu: number;
  /** -2 log L at sigma^2 = ssq / n, the maximum-likelihood variance. */
  m2ll: number;
  /** ssq / (n - coefficients - (a mean or drift, estimated or not) 1), as forecast::Arima and the CSS fit divide. */
  sigma2: number;
  lik: ArmaLikelihood;
}

export type Polynomials = (coef: number[]) => { phi: Float64Array; theta: Float64Array } | null;

/**
 * bounds[i]: the coefficient i's search interval is (-bounds[i], bounds[i]) (default 0.99); `polys`
 * decides admissibility inside it. `constant`: the model has a mean or drift, estimated here or not
 * (it counts in sigma2's degrees of freedom either way).
 */
export function refitByLikelihood(w: Float64Array, coef0: number[], estimateMean: boolean, mu0: number, polys: Polynomials, bounds: number[] = [], constant = estimateMean): MlFit | null {
  const n = w.length;
  const k = coef0.length;
  if (n < k + 3) return null;
  let mean = 0, variance = 0;
  for (let i = 0; i < n; i++) mean += w[i] / n;
  for (let i = 0; i < n; i++) variance += (w[i] - mean) ** 2 / n;
  // The mean moves in units of its naive standard error (searching it in the data's units would
  // make the simplex's steps depend on the scale).
  // The sample mean of a persistent AR series is far less precise than that naive error: by about
  // sqrt((1 + phi) / (1 - phi)) for an AR(1), 14 times at phi = 0.99. The unit grows by that factor,
  // phi(1) = 1 - sum phi_i for phi, so the search's +-20 units reach about 20 true standard errors.
  const pq0 = polys(coef0);
  let arAtOne = 1;
  if (pq0) for (let i = 1; i < pq0.phi.length; i++) arAtOne -= pq0.phi[i];
  const persistence = arAtOne < 1 ? Math.sqrt((2 - arAtOne) / Math.max(arAtOne, 1e-2)) : 1;
  const scale = (Math.sqrt(variance / n) || Math.max(1, Math.abs(mu0)) * 1e-8) * persistence;
  const wc = new Float64Array(n);
  const evaluate = (x: number[]): { lik: ArmaLikelihood; mu: number } | null => {
    const pq = polys(x.length > k ? x.slice(0, k) : x);
    if (!pq) return null;
    const mu = estimateMean ? mu0 + x[k] * scale : mu0;
    for (let i = 0; i < n; i++) wc[i] = w[i] - mu;
    const lik = armaKalman(wc, pq.phi, pq.theta);
    return lik ? { lik, mu } : null;
  };
  const objective = (x: number[]): number => {
    const e = evaluate(x);
    if (!e) return Number.POSITIVE_INFINITY;
    const v = n * Math.log(Math.max(e.lik.ssq, 1e-300) / n) + e.lik.sumlog;
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const x0 = estimateMean ? [...coef0, 0] : coef0.slice();
  if (!Number.isFinite(objective(x0))) return null;
  let x = x0;
  if (x0.length > 0) {
    const upper = x0.map((_, i) => (i < k ? bounds[i] ?? 0.99 : 20));
    const lower = upper.map((b) => -b);
    x = nelderMead(objective, x0, { lower, upper, maxIterations: 100 * x0.length, tolerance: 1e-10, absoluteTolerance: 1e-6, initialStep: 0.05 }).x;
  }
  const best = evaluate(x);
  if (!best) return null;
  return {
    coef: x.slice(0, k),
    mu: best.mu,
    m2ll: minusTwoLogLikelihood(best.lik, n),
    sigma2: best.lik.ssq / Math.max(1, n - k - (constant ? 1 : 0)),
    lik: best.lik,
  };
}
