import type { EsForm, EsParams, EsStates } from './es-filter.js';
import { esFilterInto, FILTER_OUT_LENGTH } from './es-filter.js';
import { callScoped } from './fit-memo.js';

/**
 * Unit-state responses of the additive-error, non-seasonal forms (SES, Holt, damped trend) for one
 * set of parameters: the columns of E (see optimalLinearStates in es-estimation.ts) and the running sums of their
 * products. Neither depends on the data, only on the parameters and the time index, and a grid
 * search asks for the same parameters on many prefixes of one history (its origins and the
 * cross-validation's), hundreds of times per SKU. The filter is causal and the sums run in time
 * order, so the first n entries of a longer run are exactly the run of length n: one entry serves
 * every length up to its own, with the same doubles the per-call computation gives.
 */
export interface UnitResponses {
  alpha: number;
  beta: number;
  phi: number;
  len: number;
  np: number;
  cols: Float64Array; // column k at [k * len, (k + 1) * len), negated as in optimalLinearStates
  gram: Float64Array; // sum over t' <= t of col_a[t'] col_c[t'] (c <= a) at [(a * np + c) * len + t]
}

/**
 * By trend, then alpha, beta and phi (beta 0 without a trend, phi 1 unless damped), for the current
 * runForecast call only (callScoped): a worker goes from SKU to SKU, and a store kept across calls
 * would hold a grid's worth of responses as long as the longest series it ever saw. Outside a call
 * nothing is kept. Within one, at most a grid's parameter sets, each as long as the series; the
 * count cap only guards against a caller asking for many fixed parameter sets.
 */
interface UnitResponseStore { byTrend: Map<EsForm['trend'], Map<number, Map<number, Map<number, UnitResponses>>>>; count: number }
const newUnitResponseStore = (): UnitResponseStore => ({ byTrend: new Map(), count: 0 });

/** Where the unit runs' own results go: only their fitted values are read. */
const discarded = new Float64Array(FILTER_OUT_LENGTH);

export function unitResponses(form: EsForm, p: EsParams, n: number): UnitResponses {
  const hasTrend = form.trend !== 'N';
  const alpha = p.alpha;
  const beta = hasTrend ? p.beta : 0;
  const phi = form.trend === 'Ad' ? p.phi : 1;
  const store = callScoped('es-unit-responses', newUnitResponseStore);
  let byPhi: Map<number, UnitResponses> | undefined;
  let hit: UnitResponses | undefined;
  if (store) {
    let byAlpha = store.byTrend.get(form.trend);
    if (!byAlpha) { byAlpha = new Map(); store.byTrend.set(form.trend, byAlpha); }
    let byBeta = byAlpha.get(alpha);
    if (!byBeta) { byBeta = new Map(); byAlpha.set(alpha, byBeta); }
    byPhi = byBeta.get(beta);
    if (!byPhi) { byPhi = new Map(); byBeta.set(beta, byPhi); }
    hit = byPhi.get(phi);
    // Map keys treat -0 as 0: the stored values must be the very same doubles.
    if (hit && hit.len >= n && Object.is(hit.alpha, alpha) && Object.is(hit.beta, beta) && Object.is(hit.phi, phi)) return hit;
  }
  const np = hasTrend ? 2 : 1;
  const len = n;
  const cols = new Float64Array(np * len);
  const zeros = new Float64Array(len);
  const seas = new Float64Array(1);
  const u: EsStates = { l: 0, b: 0, s: new Float64Array(1) };
  for (let k = 0; k < np; k++) {
    u.l = k === 0 ? 1 : 0;
    u.b = k === 1 ? 1 : 0;
    const col = cols.subarray(k * len, (k + 1) * len);
    esFilterInto(discarded, zeros, form, p, u, seas, col);
    for (let t = 0; t < len; t++) col[t] = -col[t];
  }
  const gram = new Float64Array(np * np * len);
  for (let a = 0; a < np; a++) {
    for (let c = 0; c <= a; c++) {
      const at = (a * np + c) * len;
      let sum = 0;
      for (let t = 0; t < len; t++) { sum += cols[a * len + t] * cols[c * len + t]; gram[at + t] = sum; }
    }
  }
  const entry: UnitResponses = { alpha, beta, phi, len, np, cols, gram };
  if (!store || !byPhi) return entry;
  if (!hit) {
    if (store.count >= 1024) { store.byTrend.clear(); store.count = 0; return entry; }
    store.count++;
  }
  byPhi.set(phi, entry);
  return entry;
}
