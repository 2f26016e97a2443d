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
  /**
   * Also stop once the simplex's values are this close (default 0: off). Unlike the relative
   * spread it does not depend on the data's units where the objective shifts with them (a log
   * likelihood moves by a constant when the data are rescaled).
   */
  absoluteTolerance?: number;
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
  const absoluteTolerance = options.absoluteTolerance ?? 0;
  const step = options.initialStep ?? 0.1;
  // Only a (-Infinity, +Infinity) coordinate is skipped: for it min/max return the value itself (-0
  // and NaN included), and ETS's initial states (half of its search vector) are such. Any other
  // bound, NaN or missing ones too, is clamped as before (they make the point NaN, which callers with
  // data-derived bounds detect through a non-finite value).
  const boundedList: number[] = [];
  for (let i = 0; i < n; i++) if (lower[i] !== Number.NEGATIVE_INFINITY || upper[i] !== Number.POSITIVE_INFINITY) boundedList.push(i);
  const bounded = Int32Array.from(boundedList);
  let evaluations = 0;

  // simplex[k] and values[k] are kept sorted by value (stable) at the top of every iteration.
  const simplex: number[][] = [clampInPlace(x0.slice(), bounded, lower, upper)];
  for (let i = 0; i < n; i++) {
    const p = simplex[0].slice();
    const width = upper[i] - lower[i];
    const delta = (Number.isFinite(width) ? width : Math.max(1, Math.abs(p[i]))) * step || 1e-4;
    p[i] = p[i] + delta <= upper[i] ? p[i] + delta : p[i] - delta;
    simplex.push(clampInPlace(p, bounded, lower, upper));
  }
  const values = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) { evaluations++; values[k] = finiteOr(f(simplex[k])); }
  // scaled[k] belongs to simplex[k] and moves with it.
  const scaled: Float64Array[] = [];
  for (let k = 0; k <= n; k++) { const sc = new Float64Array(n); scaleInto(simplex[k], sc, n); scaled.push(sc); }
  const centroid = new Float64Array(n);
  // Trial points; an accepted one takes the worst point's place and the worst's array becomes the buffer.
  // Copies of a simplex point (overwritten before use), so all arrays the loop touches share one elements kind.
  let rBuf = simplex[0].slice();
  let eBuf = simplex[0].slice();
  let cBuf = simplex[0].slice();
  let spare: Float64Array = new Float64Array(n);
  // The loop is written out (no inner closures): state captured by a closure lives in a heap
  // context, read through it at every access and reloaded after every call of the objective.
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
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
    const spread = Math.abs(values[n] - values[0]);
    if (spread <= tolerance * (Math.abs(values[0]) + tolerance) || spread <= absoluteTolerance) break;

    // 0 + the first term, as the sum from a zeroed centroid was (-0 becomes 0).
    const s0 = scaled[0];
    for (let j = 0; j < n; j++) centroid[j] = 0 + s0[j];
    for (let i = 1; i < n; i++) {
      const s = scaled[i];
      for (let j = 0; j < n; j++) centroid[j] += s[j];
    }

    // Each accepted trial point x (value v) takes the worst point's place, its scaled copy the
    // spare's, and the worst's arrays become the buffer and the spare.
    let x: number[];
    let v: number;
    const worst = simplex[n];
    evaluations++;
    const fr = finiteOr(f(along(-1, centroid, worst, rBuf, n, bounded, lower, upper)));
    if (fr < values[0]) {
      evaluations++;
      const fe = finiteOr(f(along(-2, centroid, worst, eBuf, n, bounded, lower, upper)));
      if (fe < fr) { x = eBuf; v = fe; eBuf = worst; } else { x = rBuf; v = fr; rBuf = worst; }
    } else if (fr < values[n - 1]) {
      x = rBuf; v = fr; rBuf = worst;
    } else {
      evaluations++;
      const fc = finiteOr(f(along(fr < values[n] ? -0.5 : 0.5, centroid, worst, cBuf, n, bounded, lower, upper)));
      if (fc < Math.min(fr, values[n])) {
        x = cBuf; v = fc; cBuf = worst;
      } else {
        const best = simplex[0];
        for (let i = 1; i <= n; i++) {
          const xi = simplex[i];
          for (let j = 0; j < n; j++) xi[j] = best[j] + 0.5 * (xi[j] - best[j]);
          evaluations++;
          values[i] = finiteOr(f(clampInPlace(xi, bounded, lower, upper)));
          scaleInto(xi, scaled[i], n);
        }
        continue;
      }
    }
    const sc = spare;
    scaleInto(x, sc, n);
    spare = scaled[n];
    scaled[n] = sc;
    simplex[n] = x;
    values[n] = v;
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
  return { x: simplex[best].slice(), value: values[best], iterations, evaluations };
}

function finiteOr(v: number): number {
  return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
}

function clampInPlace(x: number[], bounded: Int32Array, lower: Float64Array, upper: Float64Array): number[] {
  for (let k = 0; k < bounded.length; k++) { const i = bounded[k]; x[i] = Math.min(upper[i], Math.max(lower[i], x[i])); }
  return x;
}

function scaleInto(x: number[], out: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) out[j] = x[j] / n;
}

/** The point centroid + t (worst - centroid), clamped, written into x. */
function along(t: number, centroid: Float64Array, worst: number[], x: number[], n: number, bounded: Int32Array, lower: Float64Array, upper: Float64Array): number[] {
  for (let j = 0; j < n; j++) x[j] = centroid[j] + t * (worst[j] - centroid[j]);
  return clampInPlace(x, bounded, lower, upper);
}
