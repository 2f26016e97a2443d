/**
 * Bounded Nelder-Mead minimisation. Bounds are enforced by clamping every trial point,
 * which keeps the simplex inside the box the way R's ets() keeps parameters admissible.
 *
 * Written allocation-free after setup (the n + 1 simplex points and three trial buffers are
 * swapped, never reallocated; a shrink works in place): model fits call this thousands of times
 * per series, the objective is often cheaper than the bookkeeping around it, and garbage
 * collection was a tenth of a SKU's CPU. The objective must not keep the array it is given, nor
 * write to it (the scaled copies below would no longer match their points).
 *
 * Each simplex point carries its coordinates divided by n (`scaled`, computed once when the point
 * is made): the centroid is the sum of those in sorted order, the same doubles added in the same
 * order as summing s[j] / n at every iteration, without the n x n divisions per iteration.
 */
export interface NelderMeadOptions {
  lower: number[];
  upper: number[];
  maxIterations?: number; // default 200 * dimension
  tolerance?: number; // relative spread of the simplex values; default 1e-8
  initialStep?: number; // fraction of each bound's width; default 0.1
}

export interface NelderMeadResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
}

export function nelderMead(f: (x: number[]) => number, x0: number[], options: NelderMeadOptions): NelderMeadResult {
  const n = x0.length;
  // Typed copies: the clamp reads them at every trial point (same doubles, NaN and -0 included).
  const lower = Float64Array.from(options.lower);
  const upper = Float64Array.from(options.upper);
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-8;
  const step = options.initialStep ?? 0.1;
  // Only a (-Infinity, +Infinity) coordinate is skipped: for it min/max return the value itself (-0
  // and NaN included), and ETS's initial states (half of its search vector) are such. Any other
  // bound, NaN or missing ones too, is clamped as before (they make the point NaN, which callers with
  // data-derived bounds detect through a non-finite value).
  const bounded: number[] = [];
  for (let i = 0; i < n; i++) if (lower[i] !== Number.NEGATIVE_INFINITY || upper[i] !== Number.POSITIVE_INFINITY) bounded.push(i);
  const nb = bounded.length;
  const clampInPlace = (x: number[]) => {
    for (let k = 0; k < nb; k++) { const i = bounded[k]; x[i] = Math.min(upper[i], Math.max(lower[i], x[i])); }
    return x;
  };
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  // simplex[k] and values[k] are kept sorted by value (stable) at the top of every iteration.
  const simplex: number[][] = [clampInPlace(x0.slice())];
  for (let i = 0; i < n; i++) {
    const p = simplex[0].slice();
    const width = upper[i] - lower[i];
    const delta = (Number.isFinite(width) ? width : Math.max(1, Math.abs(p[i]))) * step || 1e-4;
    p[i] = p[i] + delta <= upper[i] ? p[i] + delta : p[i] - delta;
    simplex.push(clampInPlace(p));
  }
  const values = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) values[k] = evaluate(simplex[k]);
  const scaleInto = (x: number[], out: Float64Array) => { for (let j = 0; j < n; j++) out[j] = x[j] / n; };
  // scaled[k] belongs to simplex[k] and moves with it.
  const scaled: Float64Array[] = [];
  for (let k = 0; k <= n; k++) { const sc = new Float64Array(n); scaleInto(simplex[k], sc); scaled.push(sc); }
  const centroid = new Float64Array(n);
  const along = (t: number, x: number[]) => {
    const worst = simplex[n];
    for (let j = 0; j < n; j++) x[j] = centroid[j] + t * (worst[j] - centroid[j]);
    return clampInPlace(x);
  };
  // Trial points; an accepted one takes the worst point's place and the worst's array becomes the buffer.
  // Copies of a simplex point (overwritten before use), so all arrays the loop touches share one elements kind.
  let rBuf = simplex[0].slice();
  let eBuf = simplex[0].slice();
  let cBuf = simplex[0].slice();
  let spare: Float64Array = new Float64Array(n);
  // The accepted trial point x (value v) takes the worst point's place; returns the worst's array as the new buffer.
  const accept = (x: number[], v: number): number[] => {
    const worst = simplex[n];
    const sc = spare;
    scaleInto(x, sc);
    spare = scaled[n];
    scaled[n] = sc;
    simplex[n] = x;
    values[n] = v;
    return worst;
  };
  const sort = () => {
    // Stable insertion sort: n + 1 is small and the simplex is nearly sorted after one replacement.
    for (let i = 1; i <= n; i++) {
      const v = values[i];
      const p = simplex[i];
      const sc = scaled[i];
      let j = i - 1;
      while (j >= 0 && values[j] > v) {
        values[j + 1] = values[j];
        simplex[j + 1] = simplex[j];
        scaled[j + 1] = scaled[j];
        j--;
      }
      values[j + 1] = v;
      simplex[j + 1] = p;
      scaled[j + 1] = sc;
    }
  };

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    sort();
    const spread = Math.abs(values[n] - values[0]);
    if (spread <= tolerance * (Math.abs(values[0]) + tolerance)) break;

    // 0 + the first term, as the sum from a zeroed centroid was (-0 becomes 0).
    const s0 = scaled[0];
    for (let j = 0; j < n; j++) centroid[j] = 0 + s0[j];
    for (let i = 1; i < n; i++) {
      const s = scaled[i];
      for (let j = 0; j < n; j++) centroid[j] += s[j];
    }

    const fr = evaluate(along(-1, rBuf));
    if (fr < values[0]) {
      const fe = evaluate(along(-2, eBuf));
      if (fe < fr) eBuf = accept(eBuf, fe); else rBuf = accept(rBuf, fr);
      continue;
    }
    if (fr < values[n - 1]) { rBuf = accept(rBuf, fr); continue; }
    const fc = evaluate(along(fr < values[n] ? -0.5 : 0.5, cBuf));
    if (fc < Math.min(fr, values[n])) { cBuf = accept(cBuf, fc); continue; }
    const best = simplex[0];
    for (let i = 1; i <= n; i++) {
      const x = simplex[i];
      for (let j = 0; j < n; j++) x[j] = best[j] + 0.5 * (x[j] - best[j]);
      values[i] = evaluate(clampInPlace(x));
      scaleInto(x, scaled[i]);
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
  return { x: simplex[best].slice(), value: values[best], iterations, evaluations };
}
