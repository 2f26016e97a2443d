/**
 * ARIMA orders and their lag polynomials: the admissibility of a factor's coefficients and their
 * expansion into dense polynomials, shared by the CSS fit (arima.ts) and the exact-likelihood refit.
 */

export interface ArimaOrder { p: number; d: number; q: number; P: number; D: number; Q: number; m: number; constant: boolean }

/**
 * Stationarity (AR, sign -1: 1 - c1 B - c2 B^2) or invertibility (MA, sign +1: 1 + c1 B + c2 B^2) of
 * one factor. Order 2 uses the triangle on the AR-form coefficients phi = -sign * c, so an MA factor
 * is checked on -theta (theta = (0.6, 0.5) is invertible, (-0.9, -0.5) is not).
 */
export function admissible(c: ArrayLike<number>, from: number, k: number, sign: -1 | 1): boolean {
  if (k === 0) return true;
  if (k === 1) return Math.abs(c[from]) < 0.99;
  if (k === 2) {
    const a = -sign * c[from], b = -sign * c[from + 1];
    return Math.abs(b) < 0.99 && a + b < 0.99 && b - a < 0.99;
  }
  // Order 3: a sufficient condition only (sum of |coefficients| < 0.99): stationary AR(3)s such as
  // (1.2, -0.5, 0.2) are refused. Kept for the default CSS fit, whose outputs it decides; the
  // exact-likelihood refit checks the roots instead (exactPolynomials).
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.abs(c[from + i]);
  return s < 0.99;
}

/** Expanded lag polynomial 1 + sign (sum c_i B^i)(...) with a seasonal factor, as a dense array. */
export function expand(c: ArrayLike<number>, from: number, k: number, sc: number, sk: number, m: number, sign: number, out: Float64Array): Float64Array {
  out.fill(0);
  out[0] = 1;
  for (let i = 0; i < k; i++) out[i + 1] = sign * c[from + i];
  if (sk > 0) {
    out[m] += sign * sc;
    for (let i = 0; i < k; i++) out[m + i + 1] += sign * c[from + i] * sign * sc;
  }
  return out;
}

/**
 * expand's result without the clearing, for an order whose seasonal lags do not overlap its
 * non-seasonal ones (m > k: fitOrder refuses any other, and autoArima's seasonal periods are above
 * 3 with k at most 3). Its writes then cover the polynomial's whole support (0, 1..k, m..m + k),
 * each seasonal entry written as 0 plus its term: `0 +` turns a -0 term into +0, as `+=` on a
 * cleared array did. For an array whose entries outside that support are zero and stay so (the CSS
 * objective's, written only here for one order) the result equals expand's, without a fill per
 * evaluation.
 */
export function expandSupport(c: ArrayLike<number>, from: number, k: number, sc: number, sk: number, m: number, sign: number, out: Float64Array): Float64Array {
  out[0] = 1;
  for (let i = 0; i < k; i++) out[i + 1] = sign * c[from + i];
  if (sk > 0) {
    out[m] = 0 + sign * sc;
    for (let i = 0; i < k; i++) out[m + i + 1] = 0 + sign * c[from + i] * sign * sc;
  }
  return out;
}

/**
 * An order's coefficients (p AR, q MA, P seasonal AR, Q seasonal MA) as dense polynomials by lag for
 * the likelihood (phi[i] of w[t - i], theta[j] of e[t - j], theta[0] = 1); null where they are not
 * admissible.
 */
export function armaPolynomials(x: ArrayLike<number>, order: ArimaOrder): { phi: Float64Array; theta: Float64Array } | null {
  const { p, q, P, Q, m } = order;
  if (!admissible(x, 0, p, -1) || !admissible(x, p, q, 1) || (P && !admissible(x, p + q, P, -1)) || (Q && !admissible(x, p + q + P, Q, 1))) return null;
  const phi = expand(x, 0, p, P ? x[p + q] : 0, P, m, -1, new Float64Array(p + 1 + P * m));
  for (let i = 1; i < phi.length; i++) phi[i] = -phi[i];
  return { phi, theta: expand(x, p, q, Q ? x[p + q + P] : 0, Q, m, 1, new Float64Array(q + 1 + Q * m)) };
}

/**
 * Whether every root of the polynomial 1 + a[1] z + ... + a[k] z^k (a[0] = 1 is ignored) has modulus
 * above `radius`: the Schur-Cohn test, run as the Levinson-Durbin recursion backwards on the
 * coefficients of the polynomial in z / radius (a root outside the unit circle there is one of
 * modulus above radius here). Exact for any order, unlike `admissible`'s order-3 condition.
 */
export function rootsOutside(a: ArrayLike<number>, radius = 1): boolean {
  let phi: number[] = [];
  for (let i = 1; i < a.length; i++) phi.push(-a[i] * radius ** i);
  for (let k = phi.length; k >= 1; k--) {
    const kappa = phi[k - 1];
    if (!(Math.abs(kappa) < 1)) return false;
    const d = 1 - kappa * kappa;
    const next = new Array<number>(k - 1);
    for (let j = 0; j < k - 1; j++) next[j] = (phi[j] + kappa * phi[k - 2 - j]) / d;
    phi = next;
  }
  return true;
}

/** The AR polynomial 1 - phi[1] B - ... in the form rootsOutside reads (1 + a[1] B + ...). */
function arPolynomial(phi: Float64Array): Float64Array {
  return Float64Array.from(phi, (v, i) => (i === 0 ? 1 : -v));
}

/**
 * armaPolynomials for the exact-likelihood refit: admissible exactly where the expanded AR
 * polynomial is stationary and the MA polynomial invertible (every root outside the unit circle),
 * whatever the factors' orders.
 */
export function exactPolynomials(x: ArrayLike<number>, order: ArimaOrder): { phi: Float64Array; theta: Float64Array } | null {
  const { p, q, P, Q, m } = order;
  const phi = expand(x, 0, p, P ? x[p + q] : 0, P, m, -1, new Float64Array(p + 1 + P * m));
  for (let i = 1; i < phi.length; i++) phi[i] = -phi[i];
  const theta = expand(x, p, q, Q ? x[p + q + P] : 0, Q, m, 1, new Float64Array(q + 1 + Q * m));
  return rootsOutside(arPolynomial(phi)) && rootsOutside(theta) ? { phi, theta } : null;
}

/**
 * forecast::auto.arima's rejection of a fitted candidate (its `myarima`): a root of the expanded
 * AR or MA polynomial of modulus below 1.01, a unit root in all but name.
 */
export function nearUnitRoot(pq: { phi: Float64Array; theta: Float64Array }): boolean {
  return !rootsOutside(arPolynomial(pq.phi), 1.01) || !rootsOutside(pq.theta, 1.01);
}

/**
 * The refit's search box for each coefficient: order-k factor's i-th coefficient within 0.99 times
 * the binomial coefficient C(k, i), the largest it reaches inside the stationary region ((-1.98,
 * 1.98) for an order-2 factor's first, (-2.97, 2.97) for an order-3 factor's first two); 0.99 for
 * the seasonal factors (order 1).
 */
export function refitBounds(order: ArimaOrder): number[] {
  const factor = (k: number) => Array.from({ length: k }, (_, i) => 0.99 * binomial(k, i + 1));
  return [...factor(order.p), ...factor(order.q), ...new Array<number>(order.P + order.Q).fill(0.99)];
}

function binomial(k: number, i: number): number {
  let b = 1;
  for (let j = 1; j <= i; j++) b = (b * (k - j + 1)) / j;
  return b;
}
