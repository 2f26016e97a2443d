/**
 * The exact Gaussian likelihood of a zero-mean stationary ARMA process
 *   w[t] = sum phi_i w[t - i] + e[t] + sum theta_j e[t - j],
 * by the Kalman filter on Harvey's state-space form (Gardner, Harvey & Phillips 1980; R's
 * stats::arima, whose "CSS-ML" refits by this likelihood). The differencing is done before: the
 * series given here is the differenced one, centred on its mean or drift, so the initial state is
 * the stationary one (no diffuse part). phi and theta are dense by lag: phi[i] is the coefficient
 * of lag i (phi[0] unused), theta[0] = 1; seasonal factors arrive multiplied out.
 *
 * The variance sigma^2 is concentrated out (the filter runs with sigma^2 = 1):
 *   -2 log L = n log(2 pi ssq / n) + n + sumlog,  ssq = sum v[t]^2 / F[t],  sumlog = sum log F[t],
 * v the one-step prediction errors and F their variances relative to sigma^2.
 */

export interface ArmaLikelihood {
  ssq: number;
  sumlog: number;
  /** One-step prediction errors w[t] - E(w[t] | w[0..t-1]). */
  residuals: Float64Array;
  /** The state predicted for the step after the last observation, E(a[n] | w[0..n-1]): where forecasts start. */
  state: Float64Array;
}

/** psi weights psi_0..psi_{count-1} of the MA(infinity) form. */
export function psiWeights(phi: ArrayLike<number>, theta: ArrayLike<number>, count: number): Float64Array {
  const p = phi.length - 1, q = theta.length - 1;
  const psi = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let v = j === 0 ? 1 : j <= q ? theta[j] : 0;
    for (let i = 1; i <= Math.min(j, p); i++) v += phi[i] * psi[j - i];
    psi[j] = v;
  }
  return psi;
}

/**
 * Autocovariances gamma(0..maxLag) for sigma^2 = 1: the p + 1 equations
 * gamma(k) - sum phi_i gamma(|k - i|) = sum_{j >= k} theta_j psi_{j - k} solved by Gaussian
 * elimination with partial pivoting, then the recursion for higher lags. Null where the system is
 * singular (a unit root).
 */
export function armaAutocovariances(phi: ArrayLike<number>, theta: ArrayLike<number>, maxLag: number): Float64Array | null {
  const p = phi.length - 1, q = theta.length - 1;
  const psi = psiWeights(phi, theta, q + 1);
  const c = (k: number): number => {
    let s = 0;
    for (let j = k; j <= q; j++) s += (j === 0 ? 1 : theta[j]) * psi[j - k];
    return s;
  };
  const size = p + 1;
  const a = new Float64Array(size * size);
  const b = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    a[k * size + k] += 1;
    for (let i = 1; i <= p; i++) a[k * size + Math.abs(k - i)] -= phi[i];
    b[k] = c(k);
  }
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(a[r * size + col]) > Math.abs(a[pivot * size + col])) pivot = r;
    if (!(Math.abs(a[pivot * size + col]) > 1e-12)) return null;
    if (pivot !== col) {
      for (let k = 0; k < size; k++) { const t = a[col * size + k]; a[col * size + k] = a[pivot * size + k]; a[pivot * size + k] = t; }
      const t = b[col]; b[col] = b[pivot]; b[pivot] = t;
    }
    for (let r = col + 1; r < size; r++) {
      const f = a[r * size + col] / a[col * size + col];
      if (f === 0) continue;
      for (let k = col; k < size; k++) a[r * size + k] -= f * a[col * size + k];
      b[r] -= f * b[col];
    }
  }
  const gamma = new Float64Array(Math.max(maxLag, p) + 1);
  for (let r = size - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < size; k++) s -= a[r * size + k] * gamma[k];
    gamma[r] = s / a[r * size + r];
  }
  for (let k = size; k < gamma.length; k++) {
    let s = k <= q ? c(k) : 0;
    for (let i = 1; i <= p; i++) s += phi[i] * gamma[k - i];
    gamma[k] = s;
  }
  return gamma;
}

/**
 * The first column of the state's stationary covariance P0 (P0 = T P0 T' + R R'), Cov(w[t], a[t][j])
 * for sigma^2 = 1, from the autocovariances and psi weights: all the filter below needs of P0. In
 * Harvey's form a[t][j] = sum_{k >= j} phi_{k+1} w[t-1-k+j] + theta_k e[t-k+j] (j >= 1).
 */
function firstColumn(phi: ArrayLike<number>, theta: ArrayLike<number>, r: number): Float64Array | null {
  const p = phi.length - 1, q = theta.length - 1;
  const gamma = armaAutocovariances(phi, theta, r);
  if (!gamma) return null;
  const psi = psiWeights(phi, theta, r);
  const col = new Float64Array(r);
  col[0] = gamma[0];
  for (let j = 1; j < r; j++) {
    let s = 0;
    for (let k = j; k < r; k++) s += (k + 1 <= p ? phi[k + 1] : 0) * gamma[k - j + 1] + (k <= q ? theta[k] : 0) * psi[k - j];
    col[j] = s;
  }
  return col;
}

/**
 * Runs the filter over w (already centred) by the Chandrasekhar recursions (Morf, Sidhu & Kailath
 * 1974; for ARMA, Melard's 1984 algorithm AS 197): from the stationary start the predicted
 * covariance changes by a rank-one term each step, P[t+1] - P[t] = M[t] W[t] W[t]', so the filter
 * carries F (the prediction variance), G = T P Z' (the gain times F), W and M, O(r) per step
 * instead of the O(r^2) covariance update, and never forms P. With v = T W, u = W[0]:
 *   F' = F + M u^2,  G' = G + M u v,  W' = v - G' u / F',  M' = M F' / F,
 * from F = gamma(0), G = T P0[., 0], W = G, M = -1 / F. It equals the covariance form to rounding
 * (arima-likelihood.test.ts checks it against the likelihood from the full covariance matrix). Null
 * where the autocovariances do not exist or a prediction variance is not positive.
 */
export function armaKalman(w: ArrayLike<number>, phi: ArrayLike<number>, theta: ArrayLike<number>): ArmaLikelihood | null {
  const p = phi.length - 1, q = theta.length - 1;
  const r = Math.max(p, q + 1);
  const col = firstColumn(phi, theta, r);
  if (!col) return null;
  const T = new Float64Array(r + 1); // first column of the transition, with a trailing 0
  for (let i = 0; i < p; i++) T[i] = phi[i + 1];
  const n = w.length;
  const a = new Float64Array(r + 1); // the predicted state; a[r] stays 0
  const G = new Float64Array(r);
  const W = new Float64Array(r + 1); // W[r] stays 0
  for (let i = 0; i < r; i++) { G[i] = T[i] * col[0] + (i + 1 < r ? col[i + 1] : 0); W[i] = G[i]; }
  let F = col[0];
  let M = -1 / F;
  const residuals = new Float64Array(n);
  let ssq = 0, sumlog = 0;
  for (let t = 0; t < n; t++) {
    if (!(F > 0) || !Number.isFinite(F)) return null;
    const v = w[t] - a[0];
    residuals[t] = v;
    ssq += (v * v) / F;
    sumlog += Math.log(F);
    // a <- T a + G v / F
    const a0 = a[0], k = v / F;
    for (let i = 0; i < r; i++) a[i] = T[i] * a0 + a[i + 1] + G[i] * k;
    if (t === n - 1) break;
    // The covariance recursions.
    const u = W[0];
    const Mu = M * u;
    const Fn = F + Mu * u;
    for (let i = 0; i < r; i++) {
      const vi = T[i] * u + W[i + 1];
      G[i] += Mu * vi;
      W[i] = vi; // v for now; corrected below once G' is known
    }
    const c = u / Fn;
    for (let i = 0; i < r; i++) W[i] -= G[i] * c;
    M = (M * Fn) / F;
    F = Fn;
  }
  return { ssq, sumlog, residuals, state: a.slice(0, r) };
}

/** Point forecasts of the centred series, h steps on from the state predicted for the first of them. */
export function armaStateForecast(state: ArrayLike<number>, phi: ArrayLike<number>, h: number): number[] {
  const p = phi.length - 1;
  const r = state.length;
  const a = new Float64Array(r + 1);
  for (let i = 0; i < r; i++) a[i] = state[i];
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    out.push(a[0]);
    const a0 = a[0];
    for (let i = 0; i < r; i++) a[i] = (i < p ? phi[i + 1] : 0) * a0 + a[i + 1];
  }
  return out;
}

/** -2 log L at the concentrated sigma^2 = ssq / n. */
export function minusTwoLogLikelihood(lik: ArmaLikelihood, n: number): number {
  return n * (Math.log((2 * Math.PI * Math.max(lik.ssq, 1e-300)) / n) + 1) + lik.sumlog;
}
