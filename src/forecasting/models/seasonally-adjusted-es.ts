import type { FittedModel, ParameterValues, SeriesContext } from '../model-definition.js';
import type { EsForm, EsParams } from '../es-filter.js';
import { estimateEs, estimateEsForecast } from '../es-estimation.js';
import { esFittedModel } from '../es-fitted-model.js';
import { residualSigma } from '../prediction-intervals.js';
import { shrinkageNote } from '../seasonal-shrinkage.js';
import { multiplicativeAdjustment, type SeasonalAdjustment } from '../theta.js';
import { esParameters } from './es-model-shared.js';

/**
 * SES, Holt and the damped trend as the M3 competition ran them (and as their published M3
 * figures were produced): where runForecast passes a period (its season gate found seasonality,
 * season-gate.ts) and the history is strictly positive, the series is divided by the classical
 * multiplicative decomposition's indices, shrunk by their noise (seasonal-shrinkage.ts; M3's
 * methods used them unshrunk), the non-seasonal model is fitted to the
 * adjusted series, and forecasts, intervals and in-sample fits are multiplied back by the indices.
 * Without a period the model is exactly R's ses()/holt() (the R reference tests call estimateEs,
 * the unadjusted fit, directly).
 *
 * When adjusted, aicc is null: the likelihood belongs to the adjusted series and is not comparable
 * with other models' AICc on the original one.
 */
/**
 * The adjustment of one history, kept while that array lives: a grid search fits every candidate
 * to the same training array (gridSearch builds each origin's once), and the decomposition is the
 * same for all of them. Keyed by the array itself, which the engine never mutates.
 */
interface Adjusted { adj: SeasonalAdjustment; fitted: Float64Array | null }
const adjustments = new WeakMap<number[], Map<number | null, Adjusted>>();
function adjustedOf(y: number[], period: number | null): Adjusted {
  let byPeriod = adjustments.get(y);
  if (!byPeriod) { byPeriod = new Map(); adjustments.set(y, byPeriod); }
  let entry = byPeriod.get(period);
  if (!entry) { entry = { adj: multiplicativeAdjustment(y, period), fitted: null }; byPeriod.set(period, entry); }
  return entry;
}
function adjustmentOf(y: number[], period: number | null): SeasonalAdjustment {
  return adjustedOf(y, period).adj;
}

/**
 * The values a grid candidate's model is fitted to (the adjusted series, or the history itself),
 * as a Float64Array made once per history: the filter reads them at every step of every candidate,
 * and histories arrive as arrays of small integers or of doubles, adjusted series as doubles, so
 * its element loads had gone megamorphic. The same doubles either way.
 */
function fittedValuesOf(y: number[], period: number | null): Float64Array {
  const entry = adjustedOf(y, period);
  return (entry.fitted ??= Float64Array.from(entry.adj.adjusted ? entry.adj.x : y));
}

export function seasonallyAdjustedEs(ctx: SeriesContext, shape: Omit<EsForm, 'm'>, fixed: Partial<EsParams>): FittedModel {
  const adj = adjustmentOf(ctx.y, ctx.period);
  const allFixed = fixed.alpha !== undefined && (shape.trend === 'N' || fixed.beta !== undefined) && (shape.trend !== 'Ad' || fixed.phi !== undefined);
  if (!allFixed) return adjustedModel(ctx, shape, fixed, adj);
  // A grid candidate (every parameter given): the grid search asks it only for a mean forecast,
  // hundreds of times per SKU, so that is computed without building the model (its arrays,
  // closures, parameters and warning strings: half the damped trend's CPU). Anything else read
  // builds the model once, and from then on the model answers.
  let model: FittedModel | null = null;
  const built = () => (model ??= adjustedModel(ctx, shape, fixed, adj));
  return {
    get parameters() { return built().parameters; },
    get aicc() { return built().aicc; },
    get sigma() { return built().sigma; },
    get fitted() { return built().fitted; },
    get candidatesEvaluated() { return built().candidatesEvaluated; },
    get warnings() { return built().warnings; },
    forecast(h, levels) {
      if (model !== null || levels.length > 0) return built().forecast(h, levels);
      return { mean: seasonallyAdjustedEsForecast(ctx, shape, fixed, h), intervals: [] };
    },
  };
}

function adjustedModel(ctx: SeriesContext, shape: Omit<EsForm, 'm'>, fixed: Partial<EsParams>, adj: SeasonalAdjustment): FittedModel {
  const form: EsForm = { ...shape, m: 1 };
  if (!adj.adjusted) {
    const raw = estimateEs(ctx.y, form, fixed);
    const plain = esFittedModel(raw, esParameters(raw));
    if (ctx.period !== null && ctx.period > 1) {
      plain.parameters.seasonallyAdjusted = false;
      if (adj.kept === 0) {
        // Shrunk away: said where it moves a period's forecast enough to matter, kept in the parameters always.
        plain.parameters.seasonKept = 0;
        const note = shrinkageNote(ctx.period, 0, adj.shift);
        if (note) plain.warnings = [note];
      } else {
        plain.warnings = [`seasonality found at lag ${ctx.period} but the history is too short for a classical decomposition (or its indices are degenerate); fitted without seasonal adjustment`];
      }
    }
    return plain;
  }
  const fit = estimateEs(adj.x, form, fixed);
  const inner = esFittedModel(fit, esParameters(fit));
  const n = ctx.y.length;
  // Reseasonalised fits and their sigma when first read: a grid candidate only forecasts.
  let fitted: number[] | null = null;
  let sigma: number | null = null;
  const y = ctx.y;
  const reseasonalised = () => (fitted ??= inner.fitted.map((f, t) => adj.apply(f, t)));
  const note = shrinkageNote(ctx.period!, adj.kept, adj.shift);
  return {
    parameters: { ...inner.parameters, seasonallyAdjusted: true, seasonalPeriod: ctx.period!, ...(adj.kept < 1 ? { seasonKept: adj.kept } : {}) },
    aicc: null,
    get sigma() { return (sigma ??= residualSigma(y, reseasonalised(), fit.k)); },
    get fitted() { return reseasonalised(); },
    candidatesEvaluated: 1,
    // The usual multiplicative adjustment is in the parameters (seasonallyAdjusted, seasonalPeriod),
    // not a note: the SKU panel lists notes, and one on every seasonal SKU would drown the rest.
    // The additive one says something about the data (it reaches 0).
    warnings: [
      ...(adj.kind === 'additive' ? [`seasonally adjusted: classical additive decomposition at period ${ctx.period} (the history reaches 0, so ratios are meaningless); forecasts and intervals reseasonalised`] : []),
      ...(note ? [note] : [])],
    forecast(h, levels) {
      const f = inner.forecast(h, levels);
      const scale = (v: number, i: number) => adj.apply(v, n + i);
      return {
        mean: f.mean.map(scale),
        intervals: f.intervals.map((b) => ({ level: b.level, lower: b.lower.map(scale), upper: b.upper.map(scale) })),
      };
    },
  };
}

/** Exactly the built model's forecast(h, []).mean, without building it (see seasonallyAdjustedEs). */
export function seasonallyAdjustedEsForecast(ctx: SeriesContext, shape: Omit<EsForm, 'm'>, fixed: Partial<EsParams>, h: number): number[] {
  const form: EsForm = { ...shape, m: 1 };
  const adj = adjustmentOf(ctx.y, ctx.period);
  const values = fittedValuesOf(ctx.y, ctx.period);
  const mean = estimateEsForecast(values, form, fixed, h);
  if (!adj.adjusted) return mean;
  const n = ctx.y.length;
  for (let i = 0; i < h; i++) mean[i] = adj.apply(mean[i], n + i);
  return mean;
}

/** The fixed parameters a grid candidate gives, restricted to the names the form uses. */
export function fixedParams(params: ParameterValues | null, names: (keyof EsParams)[]): Partial<EsParams> {
  const out: Partial<EsParams> = {};
  if (params) for (const k of names) if (typeof params[k] === 'number') out[k] = params[k];
  return out;
}
