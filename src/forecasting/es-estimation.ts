import { nelderMead } from './nelder-mead.js';
import type { NormalEquationsScratch } from './least-squares.js';
import { normalEquationsScratch, solveNormalEquations } from './least-squares.js';
import type { EsForm, EsParams, EsStates } from './es-filter.js';
import {
  esFilterInto, esPointForecast, FILTER_OUT_LENGTH, heuristicStates, OUT_B, OUT_L, OUT_SSE,
} from './es-filter.js';
import { unitResponses } from './es-unit-responses.js';
import { type EsFit, finishFit } from './es-fit.js';
import { esFittedModel } from './es-fitted-model.js';

/**
 * Estimates an exponential smoothing model the way R's forecast::ses/holt/hw do: smoothing
 * parameters and initial states chosen to minimise the in-sample sum of squared one-step errors
 * (R's opt.crit = "mse"), within R's "usual" bounds (alpha, beta, gamma in [1e-4, 0.9999],
 * beta <= alpha, gamma <= 1 - alpha, phi in [0.8, 0.98]).
 *
 * Mode by form: with additive (or no) seasonality the errors are linear in the initial states, so
 * for every trial of the parameters the best states come exactly from least squares and
 * Nelder-Mead searches only the 1-4 parameters; with multiplicative seasonality Nelder-Mead
 * searches parameters and states together, starting from R's heuristic states.
 */

export const ES_BOUNDS = {
  alpha: [1e-4, 0.9999],
  beta: [1e-4, 0.9999],
  gamma: [1e-4, 0.9999],
  phi: [0.8, 0.98],
} as const;

type ParamName = keyof EsParams;

function freeParamNames(form: EsForm, fixed: Partial<EsParams>): ParamName[] {
  const names: ParamName[] = [];
  if (fixed.alpha === undefined) names.push('alpha');
  if (form.trend !== 'N' && fixed.beta === undefined) names.push('beta');
  if (form.season !== 'N' && fixed.gamma === undefined) names.push('gamma');
  if (form.trend === 'Ad' && fixed.phi === undefined) names.push('phi');
  return names;
}

function stateCount(form: EsForm): number {
  return 1 + (form.trend !== 'N' ? 1 : 0) + (form.season !== 'N' ? form.m - 1 : 0);
}

function admissible(form: EsForm, p: EsParams): boolean {
  if (p.alpha < ES_BOUNDS.alpha[0] || p.alpha > ES_BOUNDS.alpha[1]) return false;
  if (form.trend !== 'N' && (p.beta < ES_BOUNDS.beta[0] || p.beta > p.alpha)) return false;
  if (form.season !== 'N' && (p.gamma < ES_BOUNDS.gamma[0] || p.gamma > 1 - p.alpha)) return false;
  return true;
}

/** Reusable buffers for one series, so the optimiser's thousands of evaluations allocate nothing. */
class Workspace {
  readonly seas: Float64Array;
  readonly zeros: Float64Array;
  readonly columns: Float64Array;
  readonly e0: Float64Array;
  readonly ata: Float64Array;
  readonly atb: Float64Array;
  readonly unit: EsStates;
  readonly states: EsStates;
  readonly solver: NormalEquationsScratch;
  /** esFilterInto's result (OUT_*): valid until the next filter run on this workspace. */
  readonly filterOut = new Float64Array(FILTER_OUT_LENGTH);
  constructor(readonly n: number, readonly m: number, readonly p: number) {
    this.states = { l: 0, b: 0, s: new Float64Array(m) };
    this.solver = normalEquationsScratch(p);
    this.seas = new Float64Array(m);
    this.zeros = new Float64Array(n);
    this.columns = new Float64Array(p * n);
    this.e0 = new Float64Array(n);
    this.ata = new Float64Array(p * p);
    this.atb = new Float64Array(p);
    this.unit = { l: 0, b: 0, s: new Float64Array(m) };
  }
}

/**
 * One Workspace per shape, reused by every estimateEs of that shape: a grid search calls
 * estimateEs once per candidate and origin (hundreds per SKU), and allocating the buffers each time
 * cost more than the fit itself. Safe because estimateEs never nests and each buffer is written
 * before it is read (ws.zeros is never written; a column is cleared before its filter).
 */
const workspaces = new Map<string, Workspace>();
function workspaceFor(n: number, m: number, p: number): Workspace {
  const key = `${n}|${m}|${p}`;
  let ws = workspaces.get(key);
  if (!ws) {
    if (workspaces.size >= 64) workspaces.clear();
    ws = new Workspace(n, m, p);
    workspaces.set(key, ws);
  }
  return ws;
}

/**
 * The initial states minimising the SSE for these parameters (additive forms only), written into
 * ws.states (valid until the next call). With `fixedSeasonal`, only level and trend are solved for. The filter is
 * linear in the states, so e(x) = e0 + E x, with e0 the errors from zero states and column k of E
 * the errors of the zero series from unit state k; x solves the normal equations. `shared`: the
 * parameters are likely asked again (a grid candidate), so E comes from unitResponses where the form allows.
 */
function optimalLinearStates(y: ArrayLike<number>, form: EsForm, p: EsParams, ws: Workspace, fixedSeasonal?: Float64Array, shared = false): EsStates | null {
  const { n, m } = ws;
  const hasTrend = form.trend !== 'N';
  const np = fixedSeasonal ? (hasTrend ? 2 : 1) : ws.p;
  const fitted = ws.e0;
  const zero: EsStates = ws.unit;
  zero.l = 0; zero.b = 0;
  if (fixedSeasonal) zero.s.set(fixedSeasonal); else zero.s.fill(0);
  esFilterInto(ws.filterOut, y, form, p, zero, ws.seas, fitted);
  if (!Number.isFinite(ws.filterOut[OUT_SSE])) return null;
  for (let t = 0; t < n; t++) fitted[t] = y[t] - fitted[t];
  if (shared && n > 0 && form.season === 'N' && form.error === 'A' && !fixedSeasonal) {
    const r = unitResponses(form, p, n);
    const len = r.len;
    for (let a = 0; a < np; a++) {
      const ca = a * len;
      let rhs = 0;
      for (let t = 0; t < n; t++) rhs += r.cols[ca + t] * fitted[t];
      ws.atb[a] = -rhs;
      for (let c = 0; c <= a; c++) {
        const v = r.gram[(a * np + c) * len + n - 1];
        ws.ata[a * np + c] = v;
        ws.ata[c * np + a] = v;
      }
    }
    return solvedStates(form, ws, np, fixedSeasonal);
  }
  for (let k = 0; k < np; k++) {
    const u = ws.unit;
    u.l = 0; u.b = 0; u.s.fill(0);
    if (k === 0) u.l = 1;
    else if (hasTrend && k === 1) u.b = 1;
    else {
      const j = k - (hasTrend ? 1 : 0); // free seasonal position 1..m-1; position 0 carries minus the sum
      u.s[j] = 1;
      u.s[0] = -1;
    }
    const col = ws.columns.subarray(k * n, (k + 1) * n);
    col.fill(0); // a filter that stops early (a zero forecast, multiplicative error) leaves the rest as a fresh buffer would
    esFilterInto(ws.filterOut, ws.zeros, form, p, u, ws.seas, col);
    for (let t = 0; t < n; t++) col[t] = -col[t]; // errors of the zero series: 0 - yhat
  }
  for (let a = 0; a < np; a++) {
    const ca = a * n;
    let rhs = 0;
    for (let t = 0; t < n; t++) rhs += ws.columns[ca + t] * fitted[t];
    ws.atb[a] = -rhs;
    for (let c = 0; c <= a; c++) {
      const cc = c * n;
      let s = 0;
      for (let t = 0; t < n; t++) s += ws.columns[ca + t] * ws.columns[cc + t];
      ws.ata[a * np + c] = s;
      ws.ata[c * np + a] = s;
    }
  }
  return solvedStates(form, ws, np, fixedSeasonal);
}

/** The states from the normal equations in ws.ata and ws.atb, written into ws.states. */
function solvedStates(form: EsForm, ws: Workspace, np: number, fixedSeasonal?: Float64Array): EsStates | null {
  const { m } = ws;
  const hasTrend = form.trend !== 'N';
  const x = solveNormalEquations(ws.ata, ws.atb, np, ws.solver);
  if (!x) return null;
  const s = ws.states.s;
  if (fixedSeasonal) {
    s.set(fixedSeasonal);
  } else {
    s.fill(0);
    let sum = 0;
    const offset = hasTrend ? 2 : 1;
    for (let j = 1; j < m && form.season !== 'N'; j++) { s[j] = x[offset + j - 1]; sum += s[j]; }
    if (form.season !== 'N') s[0] = -sum;
  }
  ws.states.l = x[0];
  ws.states.b = hasTrend ? x[1] : 0;
  return ws.states;
}

function copyStates(st: EsStates): EsStates {
  return { l: st.l, b: st.b, s: Float64Array.from(st.s) };
}

function startParams(form: EsForm, fixed: Partial<EsParams>): EsParams {
  // R's ets starting values (usual bounds), with m the data's period.
  const m = form.m;
  const alpha = fixed.alpha ?? 1e-4 + (0.2 * (0.9999 - 1e-4)) / Math.max(1, m);
  let beta = fixed.beta ?? 1e-4 + 0.1 * (0.9999 - 1e-4);
  if (fixed.beta === undefined && beta > alpha) beta = Math.max(1e-4, alpha - 1e-3);
  let gamma = fixed.gamma ?? 1e-4 + 0.05 * (0.9999 - 1e-4);
  if (fixed.gamma === undefined && gamma > 1 - alpha) gamma = Math.max(1e-4, 1 - alpha - 1e-3);
  const phi = fixed.phi ?? 0.8 + 0.99 * (0.98 - 0.8);
  return { alpha, beta: form.trend === 'N' ? 0 : beta, gamma: form.season === 'N' ? 0 : gamma, phi: form.trend === 'Ad' ? phi : 1 };
}

function withValues(base: EsParams, names: ParamName[], x: number[]): EsParams {
  const p = { ...base };
  for (let i = 0; i < names.length; i++) p[names[i]] = x[i];
  return p;
}

/**
 * The values as a Float64Array (the same doubles): the filter's loads of y[t] then see one kind of
 * array. Fed number arrays of small integers and of doubles besides typed arrays they went
 * megamorphic, a generic lookup at every step of every filter run.
 */
function float64(y: ArrayLike<number>): Float64Array {
  return y instanceof Float64Array ? y : Float64Array.from(y);
}

/** Fit `form` to y; parameters in `fixed` are held, the others estimated. */
export interface EstimateOptions {
  /** A fit of the additive form on the same data, used as a second starting point for the multiplicative one. */
  start?: EsFit;
}

export function estimateEs(yIn: ArrayLike<number>, form: EsForm, fixed: Partial<EsParams> = {}, options: EstimateOptions = {}): EsFit {
  const y = float64(yIn);
  const n = y.length;
  const names = freeParamNames(form, fixed);
  const base = startParams(form, fixed);
  const nStates = stateCount(form);
  const ws = workspaceFor(n, form.m, nStates);
  const lower = names.map((k) => ES_BOUNDS[k][0]);
  const upper = names.map((k) => ES_BOUNDS[k][1]);
  let params = base;
  let states: EsStates;

  if (form.season !== 'M') {
    const trial: EsParams = { ...base };
    const objective = (x: number[]): number => {
      for (let i = 0; i < names.length; i++) trial[names[i]] = x[i];
      const p = trial;
      if (!admissible(form, p)) return Number.POSITIVE_INFINITY;
      const st = optimalLinearStates(y, form, p, ws);
      if (!st) return Number.POSITIVE_INFINITY;
      esFilterInto(ws.filterOut, y, form, p, st, ws.seas);
      return ws.filterOut[OUT_SSE];
    };
    if (names.length > 0) {
      // R's start plus a coarse scan of alpha and beta/alpha: Nelder-Mead from the two best of
      // these avoids the boundary-hugging local minima a single start falls into.
      const starts: { x: number[]; v: number }[] = [];
      const first = names.map((k) => base[k]);
      starts.push({ x: first, v: objective(first) });
      for (const a of [0.02, 0.1, 0.3, 0.6, 0.95]) {
        for (const bf of form.trend === 'N' ? [0] : [0.02, 0.2, 0.7]) {
          for (const gf of form.season === 'N' ? [0] : [0.05, 0.5]) {
            const trial = names.map((k) => (k === 'alpha' ? a : k === 'beta' ? Math.max(1e-4, a * bf) : k === 'gamma' ? Math.max(1e-4, (1 - a) * gf) : base.phi));
            starts.push({ x: trial, v: objective(trial) });
          }
        }
      }
      starts.sort((p, q) => p.v - q.v);
      if (form.season === 'A') {
        // Seasonal: solving for all m + 1 states at every trial is costly, so alternate: search the
        // parameters with the seasonal states held (level and trend still solved exactly), then
        // solve all states at the new parameters, until the SSE stops improving.
        let x = starts[0].x;
        let value = starts[0].v;
        for (let round = 0; round < 4; round++) {
          const full = optimalLinearStates(y, form, withValues(base, names, x), ws);
          if (!full) break;
          const held = Float64Array.from(full.s);
          const partial = (z: number[]): number => {
            for (let i = 0; i < names.length; i++) trial[names[i]] = z[i];
            if (!admissible(form, trial)) return Number.POSITIVE_INFINITY;
            const st = optimalLinearStates(y, form, trial, ws, held);
            if (!st) return Number.POSITIVE_INFINITY;
            esFilterInto(ws.filterOut, y, form, trial, st, ws.seas);
            return ws.filterOut[OUT_SSE];
          };
          const r = nelderMead(partial, x, { lower, upper, tolerance: 1e-8, initialStep: round === 0 ? 0.1 : 0.03 });
          const v = objective(r.x);
          if (!(v < value * (1 - 1e-7))) { if (v < value) { x = r.x; value = v; } break; }
          x = r.x;
          value = v;
        }
        const polish = nelderMead(objective, x, { lower, upper, tolerance: 1e-8, initialStep: 0.02, maxIterations: 60 });
        params = withValues(base, names, polish.value < value ? polish.x : x);
      } else {
        let best = nelderMead(objective, starts[0].x, { lower, upper, tolerance: 1e-8 });
        if (starts.length > 1 && names.length > 1) {
          const other = nelderMead(objective, starts[1].x, { lower, upper, tolerance: 1e-8 });
          if (other.value < best.value) best = other;
        }
        const again = nelderMead(objective, best.x, { lower, upper, tolerance: 1e-8, initialStep: 0.05 });
        if (again.value <= best.value) best = again;
        params = withValues(base, names, best.x);
      }
    }
    const st = optimalLinearStates(y, form, params, ws, undefined, names.length === 0);
    states = st ? copyStates(st) : heuristicStates(y, form);
  } else if (names.length === 0) {
    // All parameters given (the grid): R's heuristic states, no search, to keep a grid affordable.
    states = heuristicStates(y, form);
  } else {
    const init = heuristicStates(y, form);
    const m = form.m;
    const hasTrend = form.trend !== 'N';
    const pack = (p: EsParams, st: EsStates) => [...names.map((k) => p[k]), st.l, ...(hasTrend ? [st.b] : []), ...Array.from(st.s).slice(1)];
    const st: EsStates = { l: 0, b: 0, s: new Float64Array(m) };
    const trialM: EsParams = { ...base };
    const unpack = (x: number[]): EsParams => {
      const q = names.length;
      st.l = x[q];
      st.b = hasTrend ? x[q + 1] : 0;
      let sum = 0;
      const off = q + (hasTrend ? 2 : 1);
      for (let j = 1; j < m; j++) { st.s[j] = x[off + j - 1]; sum += st.s[j]; }
      st.s[0] = m - sum;
      for (let i = 0; i < q; i++) trialM[names[i]] = x[i];
      return trialM;
    };
    const objective = (x: number[]): number => {
      const p = unpack(x);
      if (!admissible(form, p) || st.s[0] <= 1e-3) return Number.POSITIVE_INFINITY;
      esFilterInto(ws.filterOut, y, form, p, st, ws.seas);
      return ws.filterOut[OUT_SSE];
    };
    // Start from R's heuristic states, or from an additive fit of the same data turned
    // multiplicative (seasonal offsets as ratios to the level), whichever fits better.
    let x0 = pack(base, init);
    let start = init;
    if (options.start && options.start.form.season === 'A') {
      const a = options.start;
      const level = Math.abs(a.states.l) > 1e-8 ? a.states.l : 1;
      const ratios = Array.from(a.states.s, (v) => Math.max(0.05, 1 + v / level));
      const total = ratios.reduce((u, v) => u + v, 0);
      const converted: EsStates = { l: a.states.l, b: a.states.b, s: Float64Array.from(ratios, (v) => (v * m) / total) };
      const p = { ...a.params, gamma: Math.min(a.params.gamma, 1 - a.params.alpha) };
      const xa = pack(p, converted);
      if (objective(xa) < objective(x0)) { x0 = xa; start = converted; }
    }
    const scale = Math.max(1e-8, Math.abs(start.l), ...Array.from({ length: Math.min(n, 2 * m) }, (_, i) => Math.abs(y[i])));
    const lo = [...lower, start.l - scale, ...(hasTrend ? [start.b - 0.5 * scale] : []), ...new Array<number>(m - 1).fill(1e-3)];
    const hi = [...upper, start.l + scale, ...(hasTrend ? [start.b + 0.5 * scale] : []), ...new Array<number>(m - 1).fill(Math.max(3, ...Array.from(start.s)) * 1.5)];
    let best = nelderMead(objective, x0, { lower: lo, upper: hi, tolerance: 1e-10, initialStep: 0.05, maxIterations: 2000 });
    const again = nelderMead(objective, best.x, { lower: lo, upper: hi, tolerance: 1e-10, initialStep: 0.02, maxIterations: 1000 });
    if (again.value < best.value) best = again;
    params = { ...unpack(best.x) };
    states = copyStates(st);
    if (!Number.isFinite(best.value)) { params = base; states = init; }
  }
  return finishFit(y, form, params, states, names.length + nStates);
}

/**
 * The point forecast esFittedModel(estimateEs(y, form, fixed)).forecast(h, []) gives. Where every
 * parameter is fixed and the season is not multiplicative (a grid candidate), computed without the
 * fit's allocations: the same states (least squares for these parameters), the same final filter
 * run into the workspace instead of fresh arrays, the same forecast.
 */
export function estimateEsForecast(yIn: ArrayLike<number>, form: EsForm, fixed: Partial<EsParams>, h: number): number[] {
  const y = float64(yIn);
  if (form.season === 'M' || freeParamNames(form, fixed).length > 0) return esFittedModel(estimateEs(y, form, fixed), {}).forecast(h, []).mean;
  const params = startParams(form, fixed);
  const ws = workspaceFor(y.length, form.m, stateCount(form));
  const states = optimalLinearStates(y, form, params, ws, undefined, true) ?? heuristicStates(y, form);
  // ws.seas was optimalLinearStates' scratch; the filter below overwrites it from states.s first.
  esFilterInto(ws.filterOut, y, form, params, states, ws.seas);
  return esPointForecast(form, params, ws.filterOut[OUT_L], ws.filterOut[OUT_B], ws.seas, y.length, h);
}

