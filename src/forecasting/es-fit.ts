import type { EsForm, EsParams, EsStates } from './es-filter.js';
import { esFilter } from './es-filter.js';

export interface EsFit {
  form: EsForm;
  params: EsParams;
  states: EsStates;
  /** Number of estimated parameters plus initial states (R's length(par)). */
  k: number;
  n: number;
  sse: number;
  aicc: number | null;
  sigma: number; // relative for multiplicative error, as R reports it
  fitted: Float64Array;
  final: { l: number; b: number; s: Float64Array };
}

/** Runs the final filter and computes R's likelihood, AICc and sigma for these values. */
export function finishFit(y: ArrayLike<number>, form: EsForm, params: EsParams, states: EsStates, k: number): EsFit {
  const n = y.length;
  const fitted = new Float64Array(n);
  const seas = new Float64Array(form.m);
  const r = esFilter(y, form, params, states, seas, fitted);
  const crit = form.error === 'A' ? r.sse : r.relSse;
  const lik = form.error === 'A' ? n * Math.log(r.sse) : n * Math.log(r.relSse) + 2 * r.logAbs;
  const np = k + 1;
  const aicc = n - np - 1 > 0 && Number.isFinite(lik) ? lik + 2 * np + (2 * np * (np + 1)) / (n - np - 1) : null;
  const sigma = Number.isFinite(crit) ? Math.sqrt(crit / (n > k ? n - k : n)) : 0;
  return { form, params, states, k, n, sse: r.sse, aicc, sigma, fitted, final: { l: r.l, b: r.b, s: seas } };
}
