import type { ParameterSpec } from '../forecast-types.js';
import type { ParameterValues } from '../model-definition.js';
import type { EsFit } from '../es-fit.js';
import { formName } from '../es-filter.js';

/** Parameter specs shared by the exponential smoothing models (R's ets conventions and bounds). */
export const ALPHA: ParameterSpec = {
  name: 'alpha',
  description: 'Level smoothing: how fast the level follows new data (0 slow .. 1 immediate).',
  grid: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
  min: 1e-4,
  max: 0.9999,
  integer: false,
};

export const BETA: ParameterSpec = {
  name: 'beta',
  description: 'Trend smoothing, in the state-space form R reports (at most alpha).',
  grid: [0.01, 0.05, 0.1, 0.2],
  min: 1e-4,
  max: 0.9999,
  integer: false,
};

export const GAMMA: ParameterSpec = {
  name: 'gamma',
  description: 'Seasonal smoothing (at most 1 - alpha).',
  grid: [0.05, 0.1, 0.2, 0.3],
  min: 1e-4,
  max: 0.9999,
  integer: false,
};

export const PHI: ParameterSpec = {
  name: 'phi',
  description: 'Trend damping: 1 keeps the trend forever, lower values flatten it out.',
  grid: [0.8, 0.9, 0.98],
  min: 0.8,
  max: 0.98,
  integer: false,
};

/** Cartesian product of the specs' grids, keeping only R-admissible combinations (beta <= alpha, gamma <= 1 - alpha). */
export function admissibleGrid(specs: ParameterSpec[]): ParameterValues[] {
  let out: ParameterValues[] = [{}];
  for (const p of specs) {
    const next: ParameterValues[] = [];
    for (const c of out) for (const v of p.grid) next.push({ ...c, [p.name]: v });
    out = next;
  }
  return out.filter((c) => (c.beta === undefined || c.beta <= c.alpha) && (c.gamma === undefined || c.gamma <= 1 - c.alpha));
}

/** The parameters a fitted ES model reports: smoothing parameters in use, the form and the initial level. */
export function esParameters(fit: EsFit): Record<string, number | string | boolean> {
  const p: Record<string, number | string | boolean> = { alpha: fit.params.alpha };
  if (fit.form.trend !== 'N') p.beta = fit.params.beta;
  if (fit.form.season !== 'N') p.gamma = fit.params.gamma;
  if (fit.form.trend === 'Ad') p.phi = fit.params.phi;
  p.form = formName(fit.form);
  p.initialLevel = fit.states.l;
  if (fit.form.trend !== 'N') p.initialTrend = fit.states.b;
  return p;
}
