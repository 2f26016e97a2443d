import type { EsForm, EsParams } from './es-filter.js';

/**
 * Forecast means and variances for multiplicative error with multiplicative seasonality (ETS class 3,
 * e.g. M,A,M), as R's forecast.ets computes them (Hyndman et al. 2008, ch. 6): with X1 = (level,
 * trend) and X2 = the seasonal states, Z = X1 X2' evolves as
 *   vec Z_t = A vec Z + e K vec Z + e^2 B vec Z,  A = F2 (x) F1, B = G2 (x) G1, K = G2 (x) F1 + F2 (x) G1,
 * so its mean M and variance V follow exactly; y = H1 Z H2' (1 + e) gives
 *   mean = H1 M H2',  var = (1 + s2) H V H' + s2 mean^2.
 * Dense matrices of size 2m x 2m: cheap next to the fit for m <= 12; the caller approximates beyond.
 * Without `withVariance` only the means are computed (a few small products per step).
 */

type Mat = { r: number; c: number; a: Float64Array };

const mat = (r: number, c: number): Mat => ({ r, c, a: new Float64Array(r * c) });

function mul(x: Mat, y: Mat): Mat {
  const out = mat(x.r, y.c);
  for (let i = 0; i < x.r; i++) {
    for (let k = 0; k < x.c; k++) {
      const v = x.a[i * x.c + k];
      if (v === 0) continue;
      for (let j = 0; j < y.c; j++) out.a[i * y.c + j] += v * y.a[k * y.c + j];
    }
  }
  return out;
}

function transpose(x: Mat): Mat {
  const out = mat(x.c, x.r);
  for (let i = 0; i < x.r; i++) for (let j = 0; j < x.c; j++) out.a[j * x.r + i] = x.a[i * x.c + j];
  return out;
}

function kron(x: Mat, y: Mat): Mat {
  const out = mat(x.r * y.r, x.c * y.c);
  for (let i = 0; i < x.r; i++) for (let j = 0; j < x.c; j++) {
    const v = x.a[i * x.c + j];
    if (v === 0) continue;
    for (let k = 0; k < y.r; k++) for (let l = 0; l < y.c; l++) out.a[(i * y.r + k) * out.c + j * y.c + l] = v * y.a[k * y.c + l];
  }
  return out;
}

function add(...xs: Mat[]): Mat {
  const out = mat(xs[0].r, xs[0].c);
  for (const x of xs) for (let i = 0; i < out.a.length; i++) out.a[i] += x.a[i];
  return out;
}

function scale(x: Mat, s: number): Mat {
  const out = mat(x.r, x.c);
  for (let i = 0; i < x.a.length; i++) out.a[i] = x.a[i] * s;
  return out;
}

/** x V y' */
const sandwich = (x: Mat, v: Mat, y: Mat) => mul(mul(x, v), transpose(y));

/**
 * `seasonal[0]` is the most recent seasonal state, `seasonal[m-1]` the one the next period uses.
 */
export function multiplicativeSeasonForecast(form: EsForm, p: EsParams, level: number, trend: number, seasonal: number[], sigma2: number, h: number, withVariance = true): { mean: number[]; variance: number[] } {
  const m = form.m;
  const hasTrend = form.trend !== 'N';
  const d1 = hasTrend ? 2 : 1;
  const H1 = mat(1, d1); H1.a.fill(1);
  const H2 = mat(1, m); H2.a[m - 1] = 1;
  const F1 = mat(d1, d1);
  const G1 = mat(d1, d1);
  if (hasTrend) {
    F1.a.set([1, 1, 0, form.trend === 'Ad' ? p.phi : 1]);
    G1.a.set([p.alpha, p.alpha, p.beta, p.beta]);
  } else {
    F1.a[0] = 1;
    G1.a[0] = p.alpha;
  }
  const F2 = mat(m, m);
  F2.a[m - 1] = 1; // the new most recent state is the one just used
  for (let i = 1; i < m; i++) F2.a[i * m + i - 1] = 1;
  const G2 = mat(m, m);
  G2.a[m - 1] = p.gamma;
  const x1 = mat(d1, 1);
  x1.a[0] = level;
  if (hasTrend) x1.a[1] = trend;
  const x2t = mat(1, m);
  x2t.a.set(seasonal);
  let M = mul(x1, x2t); // d1 x m
  const D = d1 * m;
  let V = mat(D, D);
  const H21 = kron(H2, H1);
  const F21 = kron(F2, F1);
  const G21 = kron(G2, G1);
  const K = add(kron(G2, F1), kron(F2, G1));
  const F2t = transpose(F2);
  const G2t = transpose(G2);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let i = 0; i < h; i++) {
    const mu = mul(mul(H1, M), transpose(H2)).a[0];
    mean.push(mu);
    variance.push(withVariance ? (1 + sigma2) * sandwich(H21, V, H21).a[0] + sigma2 * mu * mu : 0);
    if (i === h - 1) break;
    if (!withVariance) {
      M = add(mul(mul(F1, M), F2t), scale(mul(mul(G1, M), G2t), sigma2));
      continue;
    }
    // vec(M) in column-major order, as the Kronecker products expect.
    const vecM = mat(D, 1);
    for (let col = 0; col < m; col++) for (let row = 0; row < d1; row++) vecM.a[col * d1 + row] = M.a[row * m + col];
    const mmT = mul(vecM, transpose(vecM));
    V = add(
      sandwich(F21, V, F21),
      scale(add(sandwich(F21, V, G21), sandwich(G21, V, F21), sandwich(K, add(V, mmT), K), scale(sandwich(G21, add(scale(V, 3), scale(mmT, 2)), G21), sigma2)), sigma2),
    );
    M = add(mul(mul(F1, M), F2t), scale(mul(mul(G1, M), G2t), sigma2));
  }
  return { mean, variance };
}
