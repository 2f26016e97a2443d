/**
 * Bounded Nelder-Mead minimisation. Bounds are enforced by clamping every trial point,
 * which keeps the simplex inside the box the way R's ets() keeps parameters admissible.
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
  const { lower, upper } = options;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-8;
  const step = options.initialStep ?? 0.1;
  const clamp = (x: number[]) => x.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  const simplex: number[][] = [clamp(x0)];
  for (let i = 0; i < n; i++) {
    const p = simplex[0].slice();
    const width = upper[i] - lower[i];
    const delta = (Number.isFinite(width) ? width : Math.max(1, Math.abs(p[i]))) * step || 1e-4;
    p[i] = p[i] + delta <= upper[i] ? p[i] + delta : p[i] - delta;
    simplex.push(clamp(p));
  }
  let values = simplex.map(evaluate);

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
    const s = order.map((i) => simplex[i]);
    const v = order.map((i) => values[i]);
    simplex.splice(0, simplex.length, ...s);
    values = v;
    const spread = Math.abs(values[n] - values[0]);
    if (spread <= tolerance * (Math.abs(values[0]) + tolerance)) break;

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
    const along = (t: number) => clamp(centroid.map((c, j) => c + t * (simplex[n][j] - c)));

    const reflected = along(-1);
    const fr = evaluate(reflected);
    if (fr < values[0]) {
      const expanded = along(-2);
      const fe = evaluate(expanded);
      if (fe < fr) { simplex[n] = expanded; values[n] = fe; } else { simplex[n] = reflected; values[n] = fr; }
      continue;
    }
    if (fr < values[n - 1]) { simplex[n] = reflected; values[n] = fr; continue; }
    const contracted = fr < values[n] ? along(-0.5) : along(0.5);
    const fc = evaluate(contracted);
    if (fc < Math.min(fr, values[n])) { simplex[n] = contracted; values[n] = fc; continue; }
    for (let i = 1; i <= n; i++) {
      simplex[i] = clamp(simplex[i].map((x, j) => simplex[0][j] + 0.5 * (x - simplex[0][j])));
      values[i] = evaluate(simplex[i]);
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
  return { x: simplex[best], value: values[best], iterations, evaluations };
}
