import { armaStateForecast } from './arima-likelihood.js';
import { refitByLikelihood } from './arima-ml-refit.js';
import { type ArimaOrder, admissible, exactPolynomials, expand, expandSupport, nearUnitRoot, refitBounds } from './arima-polynomials.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { nelderMead } from './nelder-mead.js';
import { intervalBands, residualSigma } from './prediction-intervals.js';

/**
 * A compact, fast auto.arima (after Hyndman & Khandakar 2008, R's forecast::auto.arima):
 * - D = 1 when runForecast found seasonality at the period (R tests the seasonal strength) and
 *   enough data remain; d from repeated KPSS tests at 5% on the result (R's ndiffs);
 * - candidates ARIMA(p,d,q)(P,D,Q)m with p, q <= 3 and P, Q <= 1, fitted by conditional sum of
 *   squares with the mean (d + D = 0) or drift (d + D = 1) fixed at the sample mean of the
 *   differenced series (R estimates it, and fits by exact likelihood; by default we do neither:
 *   estimations 'ml', 'ml-mean' and 'ml-search' do, arima-ml-refit.ts: tied with CSS in the ensemble on
 *   the validation, better alone at 5 of 6 cells, not adopted (docs/forecasting-advanced.md));
 * - R's stepwise AICc search from its four starting models; AICc from the CSS variance scaled to all
 *   differenced observations, so orders with more lags are not favoured for conditioning on fewer;
 * - stationarity and invertibility by the triangle conditions on each factor (order 3: a sufficient
 *   condition only, kept for the default's outputs; the refit checks the roots exactly);
 * - forecasts by the recursion of the expanded, integrated polynomials; variances from psi weights.
 */

/**
 * How coefficients are estimated: 'css' by conditional sum of squares only; 'ml' refits the order
 * the CSS search chose by exact likelihood (arima-ml-refit.ts), the mean or drift kept at the sample
 * mean of the differenced series; 'ml-mean' estimates that mean with the coefficients, as R does;
 * 'ml-search' refits every candidate as 'ml-mean' and ranks them by the exact likelihood's AICc (R's
 * auto.arima below 150 points), a candidate with a root below 1.01, a coefficient on its bound or a
 * failed refit at +Infinity, as R's myarima. docs/forecasting-advanced.md (ARIMA) compares them.
 */
export type ArimaEstimation = 'css' | 'ml' | 'ml-mean' | 'ml-search';

/** state: the Kalman filter's state predicted past the last observation, from which an exact-likelihood fit forecasts. */
export interface ArimaFit { order: ArimaOrder; coef: number[]; mu: number; sigma2: number; aicc: number; residuals: Float64Array; state?: Float64Array }

function difference(y: ArrayLike<number>, lag: number): number[] {
  const out: number[] = [];
  for (let i = lag; i < y.length; i++) out.push(y[i] - y[i - lag]);
  return out;
}

/** KPSS level-stationarity statistic with R's short lag truncation, trunc(3 sqrt(n) / 13). */
export function kpssStatistic(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] / n;
  let s = 0, eta = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const e = x[i] - mean; s += e; eta += s * s; s2 += e * e; }
  const l = Math.trunc((3 * Math.sqrt(n)) / 13);
  for (let k = 1; k <= l; k++) {
    let c = 0;
    for (let i = k; i < n; i++) c += (x[i] - mean) * (x[i - k] - mean);
    s2 += 2 * (1 - k / (l + 1)) * c;
  }
  s2 /= n;
  return s2 > 0 ? eta / (n * n * s2) : 0;
}

export function ndiffs(y: ArrayLike<number>, maxD = 2): number {
  let x = Array.from(y);
  let d = 0;
  while (d < maxD && x.length > 5) {
    if (x.every((v) => v === x[0]) || kpssStatistic(x) < 0.463) break; // 5% critical value
    x = difference(x, 1);
    d++;
  }
  return d;
}

/** The lags i > 0 with a non-zero coefficient, ascending. */
function nonZeroLags(poly: Float64Array): Int32Array {
  let count = 0;
  for (let i = 1; i < poly.length; i++) if (poly[i] !== 0) count++;
  const lags = new Int32Array(count);
  for (let i = 1, k = 0; i < poly.length; i++) if (poly[i] !== 0) lags[k++] = i;
  return lags;
}

/**
 * The CSS residuals e[t] = w[t] + sum ar_i w[t - i] - sum ma_j e[t - j] (lags ascending, AR terms
 * first, each added in that order) and their sum of squares, for coefficients expanded into ar and
 * ma. The AR sums need no residual, so they run lag by lag over all t (each t still receives its
 * terms in the same order); the MA recursion keeps up to four lags and coefficients in locals
 * rather than reading lag, coefficient and residual arrays per term. Nelder-Mead calls this
 * thousands of times per SKU: it was a sixth of a SKU's instructions. With fewer than four MA lags
 * the unused m0..m3 read ma[0] (lag 0, always 1) and are never applied. Exported for its test
 * against a plain loop (arima.test.ts).
 */
export function cssResiduals(
  wc: Float64Array, ar: Float64Array, ma: Float64Array, arLags: Int32Array, maLags: Int32Array,
  start: number, maFull: number, arPart: Float64Array, e: Float64Array,
): number {
  const n = wc.length;
  const nAr = arLags.length;
  const nMa = maLags.length;
  for (let t = start; t < n; t++) arPart[t] = wc[t];
  for (let a = 0; a < nAr; a++) {
    const i = arLags[a];
    const c = ar[i];
    for (let t = start; t < n; t++) arPart[t] += c * wc[t - i];
  }
  let sse = 0;
  for (let t = 0; t < start; t++) e[t] = 0;
  // Before maFull some MA lags reach past the series' start: the per-term check.
  const head = maFull < n ? maFull : n;
  let t = start;
  for (; t < head; t++) {
    let v = arPart[t];
    for (let b = 0; b < nMa; b++) { const j = maLags[b]; if (j <= t) v -= ma[j] * e[t - j]; }
    e[t] = v;
    sse += v * v;
  }
  const j0 = nMa > 0 ? maLags[0] : 0, m0 = ma[j0];
  const j1 = nMa > 1 ? maLags[1] : 0, m1 = ma[j1];
  const j2 = nMa > 2 ? maLags[2] : 0, m2 = ma[j2];
  const j3 = nMa > 3 ? maLags[3] : 0, m3 = ma[j3];
  for (; t < n; t++) {
    let v = arPart[t];
    if (nMa > 0) {
      v -= m0 * e[t - j0];
      if (nMa > 1) {
        v -= m1 * e[t - j1];
        if (nMa > 2) {
          v -= m2 * e[t - j2];
          if (nMa > 3) {
            v -= m3 * e[t - j3];
            for (let b = 4; b < nMa; b++) { const j = maLags[b]; v -= ma[j] * e[t - j]; }
          }
        }
      }
    }
    e[t] = v;
    sse += v * v;
  }
  return sse;
}

function fitOrder(w: Float64Array, order: ArimaOrder): ArimaFit | null {
  const { p, q, P, Q, m } = order;
  // expandSupport's condition: with m <= max(p, q) the seasonal terms share lags with the others
  // and must be added to them, which only expand (with its clearing) does.
  if ((P || Q) && m <= Math.max(p, q)) throw new Error(`ARIMA order (${p},${q})(${P},${Q})[${m}]: the seasonal period must exceed p and q`);
  const n = w.length;
  const k = p + q + P + Q;
  const arLen = p + 1 + P * m;
  const maLen = q + 1 + Q * m;
  const start = arLen - 1;
  if (n - start <= k + 3) return null;
  let mu = 0;
  if (order.constant) { for (let i = 0; i < n; i++) mu += w[i]; mu /= n; }
  const ar = new Float64Array(arLen);
  const ma = new Float64Array(maLen);
  const e = new Float64Array(n);
  // Plain loops, not typed-array from/filter with callbacks: a SKU fits a few hundred orders.
  const wc = new Float64Array(n);
  for (let i = 0; i < n; i++) wc[i] = w[i] - mu;
  // The non-zero lags are fixed by the order: find them once with generic coefficients.
  const probe = new Float64Array(k).fill(0.1);
  expand(probe, 0, p, P ? 0.1 : 0, P, m, -1, ar);
  expand(probe, p, q, Q ? 0.1 : 0, Q, m, 1, ma);
  const arLags = nonZeroLags(ar);
  const maLags = nonZeroLags(ma);
  const nMa = maLags.length;
  // From this t on every MA lag reaches back into the series: no per-term check.
  const maFull = nMa > 0 ? maLags[nMa - 1] : 0;
  const arPart = new Float64Array(n);
  const css = (x: number[]): number => {
    if (!admissible(x, 0, p, -1) || !admissible(x, p, q, 1) || (P && !admissible(x, p + q, P, -1)) || (Q && !admissible(x, p + q + P, Q, 1))) return Number.POSITIVE_INFINITY;
    expandSupport(x, 0, p, P ? x[p + q] : 0, P, m, -1, ar);
    expandSupport(x, p, q, Q ? x[p + q + P] : 0, Q, m, 1, ma);
    return cssResiduals(wc, ar, ma, arLags, maLags, start, maFull, arPart, e);
  };
  let x = new Array<number>(k).fill(0);
  if (k > 0) {
    x = nelderMead(css, x, { lower: x.map(() => -0.99), upper: x.map(() => 0.99), maxIterations: 30 * k, tolerance: 1e-3 }).x;
  }
  const sse = css(x);
  if (!Number.isFinite(sse)) return null;
  const neff = n - start;
  const np = k + (order.constant ? 1 : 0) + 1;
  const m2ll = n * (Math.log((2 * Math.PI * Math.max(sse, 1e-300)) / neff) + 1); // a perfect fit ranks first
  const aicc = m2ll + 2 * np + (n - np - 1 > 0 ? (2 * np * (np + 1)) / (n - np - 1) : Number.POSITIVE_INFINITY);
  return { order, coef: x, mu, sigma2: sse / Math.max(1, neff - np + 1), aicc, residuals: e.slice() };
}

/**
 * The exact-likelihood refit of a CSS fit's order, from its estimates, the mean or drift with them
 * where estimateMean; null where the likelihood cannot be evaluated. Orders without coefficients
 * keep theirs: for white noise the sample mean is the maximum-likelihood mean. Admissible
 * coefficients are those with every root of the expanded AR and MA polynomials outside the unit
 * circle (exactly, not the CSS fit's sufficient order-3 condition), within refitBounds' box.
 * `onEdge`: a coefficient ended on that box or a root within 1.01 of the origin, where R's
 * auto.arima would not accept the fit.
 */
function refitMl(w: Float64Array, fit: ArimaFit, estimateMean: boolean): (ArimaFit & { onEdge: boolean }) | null {
  const k = fit.coef.length;
  if (k === 0) return { ...fit, onEdge: false };
  const constant = fit.order.constant;
  const polys = (x: number[]) => exactPolynomials(x, fit.order);
  const bounds = refitBounds(fit.order);
  const ml = refitByLikelihood(w, fit.coef, constant && estimateMean, fit.mu, polys, bounds, constant);
  if (!ml) return null;
  const n = w.length;
  const np = k + (constant ? 1 : 0) + 1;
  const aicc = ml.m2ll + 2 * np + (n - np - 1 > 0 ? (2 * np * (np + 1)) / (n - np - 1) : Number.POSITIVE_INFINITY);
  const pq = polys(ml.coef);
  const onEdge = !pq || nearUnitRoot(pq) || ml.coef.some((c, i) => Math.abs(c) >= bounds[i] - 1e-6);
  return { order: fit.order, coef: ml.coef, mu: ml.mu, sigma2: ml.sigma2, aicc, residuals: ml.lik.residuals, state: ml.lik.state, onEdge };
}

function refitChosenView(ml: ArimaFit & { onEdge: boolean }): ArimaFit {
  const { onEdge: _, ...rest } = ml;
  return rest;
}

/** The chosen order's refit ('ml', 'ml-mean'): the CSS fit where the likelihood cannot be evaluated. */
function refitChosen(w: Float64Array, fit: ArimaFit, estimateMean: boolean): ArimaFit {
  const ml = refitMl(w, fit, estimateMean);
  return ml ? refitChosenView(ml) : fit;
}

/** One order fitted to y, differenced as it says: by CSS, then refitted by exact likelihood unless 'css'. */
export function fitArimaOrder(y: number[], order: ArimaOrder, estimation: ArimaEstimation = 'ml'): ArimaFit | null {
  let x = order.D ? difference(y, order.m) : y.slice();
  for (let i = 0; i < order.d; i++) x = difference(x, 1);
  const w = Float64Array.from(x);
  const css = fitOrder(w, order);
  return css && estimation !== 'css' ? refitChosen(w, css, estimation !== 'ml') : css;
}

export function autoArima(y: number[], period: number | null, estimation: ArimaEstimation = 'css'): { fit: ArimaFit; evaluated: number } {
  const m = period !== null && period > 3 ? period : 1;
  const D = m > 1 && y.length >= 3 * m + 4 ? 1 : 0;
  const seasonal = D ? difference(y, m) : y.slice();
  const d = ndiffs(seasonal);
  let wArr = seasonal;
  for (let i = 0; i < d; i++) wArr = difference(wArr, 1);
  const w = Float64Array.from(wArr);
  const constantAllowed = d + D <= 1;
  const seen = new Map<string, ArimaFit | null>();
  const tryOrder = (p: number, q: number, P: number, Q: number, constant: boolean): ArimaFit | null => {
    if (p < 0 || q < 0 || P < 0 || Q < 0 || p > 3 || q > 3 || P > 1 || Q > 1 || (m === 1 && P + Q > 0) || (constant && !constantAllowed)) return null;
    const key = `${p}${q}${P}${Q}${constant}`;
    if (!seen.has(key)) {
      const css = fitOrder(w, { p, d, q, P, D, Q, m, constant });
      if (css && estimation === 'ml-search') {
        // R's ranking: a failed refit, or one on a unit root or its box's edge, ranks +Infinity (the
        // CSS fit's AICc, without the likelihood's log-determinant, is not on the same scale).
        const ml = refitMl(w, css, true);
        seen.set(key, ml && !ml.onEdge ? refitChosenView(ml) : { ...css, aicc: Number.POSITIVE_INFINITY });
      } else seen.set(key, css);
    }
    return seen.get(key) ?? null;
  };
  const starts = m > 1 ? [[2, 2, 1, 1], [0, 0, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1]] : [[2, 2, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]];
  let best: ArimaFit | null = null;
  for (const [p, q, P, Q] of starts) {
    const f = tryOrder(p, q, P, Q, constantAllowed);
    if (f && (!best || f.aicc < best.aicc)) best = f;
  }
  if (!best) {
    // Too short for any ARMA term: white noise around the mean (or drift) of the differenced series.
    let mu = 0;
    if (constantAllowed && w.length > 0) { for (const v of w) mu += v; mu /= w.length; }
    const residuals = Float64Array.from(w, (v) => v - mu);
    let sse = 0;
    for (const v of residuals) sse += v * v;
    best = { order: { p: 0, d, q: 0, P: 0, D, Q: 0, m, constant: constantAllowed }, coef: [], mu, sigma2: sse / Math.max(1, w.length - 1), aicc: Number.POSITIVE_INFINITY, residuals };
  }
  for (let step = 0; step < 40; step++) {
    const o: ArimaOrder = best.order;
    const moves: [number, number, number, number, boolean][] = [
      [o.p + 1, o.q, o.P, o.Q, o.constant], [o.p - 1, o.q, o.P, o.Q, o.constant], [o.p, o.q + 1, o.P, o.Q, o.constant],
      [o.p, o.q - 1, o.P, o.Q, o.constant], [o.p + 1, o.q + 1, o.P, o.Q, o.constant], [o.p - 1, o.q - 1, o.P, o.Q, o.constant],
      [o.p, o.q, o.P + 1, o.Q, o.constant], [o.p, o.q, o.P - 1, o.Q, o.constant], [o.p, o.q, o.P, o.Q + 1, o.constant],
      [o.p, o.q, o.P, o.Q - 1, o.constant], [o.p, o.q, o.P, o.Q, !o.constant],
    ];
    let improved = false;
    for (const [p, q, P, Q, c] of moves) {
      const f = tryOrder(p, q, P, Q, c);
      if (f && f.aicc < best.aicc - 1e-9) { best = f; improved = true; }
    }
    if (!improved) break;
  }
  if (estimation === 'ml' || estimation === 'ml-mean') best = refitChosen(w, best, estimation === 'ml-mean');
  return { fit: best, evaluated: Math.max(1, seen.size) };
}

function arimaForecast(y: number[], fit: ArimaFit, h: number): { mean: number[]; variance: number[] } {
  const { order, coef } = fit;
  const { p, q, P, Q, m } = order;
  const arStat = expand(coef, 0, p, P ? coef[p + q] : 0, P, m, -1, new Float64Array(p + 1 + P * m));
  const ma = expand(coef, p, q, Q ? coef[p + q + P] : 0, Q, m, 1, new Float64Array(q + 1 + Q * m));
  const mul = (a: number[], b: number[]): number[] => {
    const out = new Array<number>(a.length + b.length - 1).fill(0);
    for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
    return out;
  };
  // The differencing polynomial (1 - B)^d (1 - B^m)^D, and the integrated AR polynomial
  // phi(B) Phi(B^m) (1 - B)^d (1 - B^m)^D multiplied in that order.
  const seasonalDiff = [1, ...new Array<number>(m - 1).fill(0), -1];
  let delta = [1];
  let ar = Array.from(arStat);
  for (let i = 0; i < order.d; i++) { delta = mul(delta, [1, -1]); ar = mul(ar, [1, -1]); }
  if (order.D) { delta = mul(delta, seasonalDiff); ar = mul(ar, seasonalDiff); }
  const n = y.length;
  const ext = y.slice();
  const mean: number[] = [];
  if (fit.state) {
    // Exact-likelihood fit: the differenced series' forecasts from the filtered state, integrated.
    const phi = Array.from(arStat, (v, i) => (i === 0 ? 1 : -v));
    const wf = armaStateForecast(fit.state, phi, h);
    for (let i = 0; i < h; i++) {
      const t = n + i;
      let v = wf[i] + fit.mu;
      for (let k = 1; k < delta.length; k++) if (t - k >= 0) v -= delta[k] * ext[t - k];
      ext.push(v);
      mean.push(v);
    }
  } else {
    let c = 0;
    for (const v of arStat) c += v;
    c *= fit.mu;
    const lost = order.d + order.D * m;
    const e = new Float64Array(n + h);
    for (let t = 0; t < fit.residuals.length; t++) e[t + lost] = fit.residuals[t];
    for (let i = 0; i < h; i++) {
      const t = n + i;
      let v = c;
      for (let k = 1; k < ar.length; k++) if (t - k >= 0) v -= ar[k] * ext[t - k];
      for (let j = 1; j < ma.length; j++) if (t - j < n && t - j >= 0) v += ma[j] * e[t - j];
      ext.push(v);
      mean.push(v);
    }
  }
  const psi = new Array<number>(h).fill(0);
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = j < ma.length ? ma[j] : 0;
    for (let k = 1; k <= j && k < ar.length; k++) v -= ar[k] * psi[j - k];
    psi[j] = v;
  }
  const variance: number[] = [];
  let acc = 0;
  for (let i = 0; i < h; i++) { acc += psi[i] * psi[i]; variance.push(fit.sigma2 * acc); }
  return { mean, variance };
}

export function orderName(o: ArimaOrder): string {
  const seasonal = o.m > 1 ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '';
  const constant = o.constant ? (o.d + o.D === 1 ? ' with drift' : ' with mean') : '';
  return `ARIMA(${o.p},${o.d},${o.q})${seasonal}${constant}`;
}

export function arimaFittedModel(y: number[], period: number | null, estimation: ArimaEstimation = 'css'): FittedModel {
  const { fit, evaluated } = autoArima(y, period, estimation);
  const o = fit.order;
  const lost = o.d + o.D * o.m;
  const start = lost + o.p + o.P * o.m;
  const fitted = y.map((v, t) => (t >= start ? v - fit.residuals[t - lost] : Number.NaN));
  return {
    parameters: { order: orderName(o), p: o.p, d: o.d, q: o.q, P: o.P, D: o.D, Q: o.Q },
    aicc: Number.isFinite(fit.aicc) ? fit.aicc : null,
    sigma: residualSigma(y, fitted, 0),
    fitted,
    candidatesEvaluated: evaluated,
    forecast(h, levels) {
      const f = arimaForecast(y, fit, h);
      return { mean: f.mean, intervals: intervalBands(f.mean, f.variance, levels) };
    },
  };
}

export const arimaModel: ModelDefinition = {
  info: {
    id: 'arima',
    name: 'ARIMA (automatic)',
    description: 'Seasonal ARIMA chosen like R\'s auto.arima: differencing by KPSS and the seasonality test, orders by a stepwise AICc search, coefficients by conditional least squares.',
    family: 'arima',
    parameters: [],
    seasonal: true,
    intermittent: false,
  },
  minLength: () => 6,
  fit(ctx: SeriesContext, _params: ParameterValues | null): FittedModel {
    return arimaFittedModel(ctx.y, ctx.period);
  },
};
