import { classicalDecomposition } from '../decomposition.js';
import { linearTrend } from './linear-trend.js';
import type { EtsForm } from './ets-form.js';

export interface InitialState {
  l: number;
  b: number;
  /** m seasonal states in chronological order; seasons[0] is the season of y[0] (may be empty). */
  seasons: Float64Array;
}

/** Least squares by normal equations (tiny designs only). */
function leastSquares(columns: Float64Array[], y: ArrayLike<number>): number[] {
  const k = columns.length;
  const a = Array.from({ length: k }, () => new Float64Array(k + 1));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < y.length; t++) s += columns[i][t] * columns[j][t];
      a[i][j] = s;
    }
    let s = 0;
    for (let t = 0; t < y.length; t++) s += columns[i][t] * y[t];
    a[i][k] = s;
  }
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    [a[c], a[piv]] = [a[piv], a[c]];
    if (Math.abs(a[c][c]) < 1e-12) continue;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= k; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row, i) => (Math.abs(row[i]) < 1e-12 ? 0 : row[k] / row[i]));
}

/**
 * R's initstate(): seasonal states from a classical decomposition of the first three seasons
 * (or a trend + one-harmonic regression when shorter), level and trend from a line through the
 * first max(10, 2m) seasonally adjusted values.
 */
export function initialState(y: ArrayLike<number>, m: number, form: EtsForm, seasonWindow = 3): InitialState {
  const n = y.length;
  let seasons = new Float64Array(0);
  let ysa: Float64Array;
  if (form.season !== 'N') {
    const mult = form.season === 'M';
    let seasonalAt: (t: number) => number;
    if (n < 3 * m) {
      const t = Float64Array.from({ length: n }, (_, i) => i + 1);
      const cols = [new Float64Array(n).fill(1), t, Float64Array.from(t, (v) => Math.cos((2 * Math.PI * v) / m))];
      if (m > 2) cols.push(Float64Array.from(t, (v) => Math.sin((2 * Math.PI * v) / m)));
      const coef = leastSquares(cols, y);
      seasonalAt = (i) => {
        const trend = coef[0] + coef[1] * (i + 1);
        return mult ? y[i] / trend : y[i] - trend;
      };
    } else {
      const fig = classicalDecomposition(Array.prototype.slice.call(y, 0, Math.min(Math.max(3, seasonWindow) * m, n)), m, mult ? 'multiplicative' : 'additive').indices;
      seasonalAt = (i) => fig[i % m];
    }
    seasons = new Float64Array(m);
    let sum = 0;
    for (let k = 1; k < m; k++) {
      seasons[k] = mult ? Math.max(seasonalAt(k), 1e-2) : seasonalAt(k);
      sum += seasons[k];
    }
    if (mult && sum > m) {
      const scale = sum + (m - 1) * 1e-2;
      sum = 0;
      for (let k = 1; k < m; k++) { seasons[k] /= scale; sum += seasons[k]; }
    }
    seasons[0] = (mult ? m : 0) - sum;
    if (mult && seasons[0] < 1e-2) seasons[0] = 1e-2;
    const len = Math.min(n, 3 * m);
    ysa = new Float64Array(len);
    for (let i = 0; i < len; i++) ysa[i] = mult ? y[i] / Math.max(seasonalAt(i), 1e-2) : y[i] - seasonalAt(i);
  } else {
    ysa = Float64Array.from(y as ArrayLike<number>);
  }
  const maxn = Math.min(Math.max(10, 2 * m), ysa.length);
  if (form.trend === 'N') {
    let s = 0;
    for (let i = 0; i < maxn; i++) s += ysa[i];
    return { l: s / maxn, b: 0, seasons };
  }
  // lsfit(1:maxn, y.sa): intercept at t = 0, so the first fitted value is a + b.
  let [a, b] = linearTrend(ysa, maxn);
  if (Math.abs(a + b) < 1e-8) { a *= 1 + 1e-3; b *= 1 - 1e-3; }
  return { l: a, b, seasons };
}
