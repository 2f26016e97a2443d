/**
 * Private copies of R's decompose() and thetaf()'s seasonality test, so ets/ and theta do not
 * wait on the core decomposition module. Indexing is positional (season k = t mod m), as R's.
 */

/** Centred moving average of order m (2 x m for even m); NaN where undefined. */
export function centredMovingAverage(y: ArrayLike<number>, m: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const even = m % 2 === 0;
  const half = Math.floor(m / 2);
  for (let i = half; i < n - half; i++) {
    let s = 0;
    if (even) {
      s = 0.5 * (y[i - half] + y[i + half]);
      for (let j = -half + 1; j < half; j++) s += y[i + j];
    } else {
      for (let j = -half; j <= half; j++) s += y[i + j];
    }
    out[i] = s / m;
  }
  return out;
}

/** The normalised seasonal figure of R's decompose(): m values, mean 1 (multiplicative) or 0. */
export function seasonalFigure(y: ArrayLike<number>, m: number, kind: 'additive' | 'multiplicative'): Float64Array {
  const trend = centredMovingAverage(y, m);
  const sum = new Float64Array(m);
  const count = new Float64Array(m);
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(trend[i])) continue;
    const v = kind === 'additive' ? y[i] - trend[i] : y[i] / trend[i];
    if (!Number.isFinite(v)) continue;
    sum[i % m] += v;
    count[i % m]++;
  }
  const fig = new Float64Array(m);
  let mean = 0;
  for (let k = 0; k < m; k++) {
    fig[k] = count[k] > 0 ? sum[k] / count[k] : kind === 'additive' ? 0 : 1;
    mean += fig[k] / m;
  }
  for (let k = 0; k < m; k++) fig[k] = kind === 'additive' ? fig[k] - mean : fig[k] / mean;
  return fig;
}

/** Sample autocorrelations r_1..r_maxLag (R's acf). */
export function autocorrelations(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (y[i] - mean) ** 2;
  const r = new Float64Array(maxLag + 1);
  r[0] = 1;
  for (let k = 1; k <= maxLag; k++) {
    let c = 0;
    for (let i = 0; i + k < n; i++) c += (y[i] - mean) * (y[i + k] - mean);
    r[k] = c0 > 0 ? c / c0 : 0;
  }
  return r;
}

/**
 * thetaf()'s test: is the lag-m autocorrelation significant at 90% (two-sided), with Bartlett's
 * standard error from the lower lags? Needs m > 1, a non-constant series and n > 2m.
 */
export function seasonalByAcf(y: ArrayLike<number>, m: number | null): boolean {
  if (m === null || m <= 1 || y.length <= 2 * m) return false;
  let constant = true;
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) { constant = false; break; }
  if (constant) return false;
  const r = autocorrelations(y, m);
  let s = 0;
  for (let k = 1; k < m; k++) s += r[k] * r[k];
  const stat = Math.sqrt((1 + 2 * s) / y.length);
  return Math.abs(r[m]) / stat > 1.6448536269514722;
}

/** Ordinary least squares of y on [1, t] for t = 1..n: [intercept, slope]. */
export function linearTrend(y: ArrayLike<number>, n = y.length): [number, number] {
  let st = 0, sy = 0, stt = 0, sty = 0;
  for (let i = 0; i < n; i++) {
    const t = i + 1;
    st += t; sy += y[i]; stt += t * t; sty += t * y[i];
  }
  const d = n * stt - st * st;
  if (n < 2 || d === 0) return [sy / Math.max(1, n), 0];
  const slope = (n * sty - st * sy) / d;
  return [(sy - slope * st) / n, slope];
}
