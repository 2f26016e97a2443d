import { arimaFittedModel } from './arima.js';
import { cesFittedModel } from './complex-es.js';
import { dynamicThetaFittedModel } from './dynamic-theta.js';
import { autoEts } from './ets/ets-auto.js';
import { type EtsFit, fitEtsForm } from './ets/ets-estimate.js';
import { etsForecast } from './ets/ets-forecast.js';
import { etsFittedModel, etsPeriod } from './ets/ets-model.js';
import type { IntervalBand } from './forecast-types.js';
import { normalQuantile } from './distributions.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { residualSigma } from './prediction-intervals.js';
import { SCORING_TOLERANCE, scoringScreen } from './scoring-tolerance.js';
import { multiplicativeAdjustment, thetaFittedModel, type SeasonalAdjustment } from './theta.js';
import { seasonFound } from './season-gate.js';
import { shrinkageNote } from './seasonal-shrinkage.js';

/**
 * A weighted combination of five forecasters: simple exponential smoothing, the Dynamic Optimised
 * Theta model (weight 2), the damped trend and complex exponential smoothing, all fitted to the
 * seasonally adjusted series (classical multiplicative decomposition where the season gate finds a
 * season, its indices shrunk by their noise: seasonal-shrinkage.ts) and reseasonalised, plus the
 * seasonal ARIMA (its season only where the usual gate finds one; weights 1/2/1/1/1). They
 * extrapolate level and trend differently (flat, a dynamically updated half-trend, a damped trend,
 * CES's level/trend mixture, ARIMA's differencing), which is what a combination feeds on.
 * The recipe was chosen by rolling-origin validation on the training parts of M3 only, at two origins
 * (the last `horizon` training points held out, and the `horizon` before them;
 * bench/validate-ensemble.ts, docs/forecasting-advanced.md): it beat the previous equal-weight SES +
 * dotm + damped + CES at both origins on all series, and Theta in every category at the first.
 * Other members (automatic ETS, Theta, Holt) stay available to EnsembleRecipe for such comparisons.
 *
 * Intervals: each bound is the mean of the members' bounds at that level (quantile averaging),
 * then widened about the combined mean by s(z) = max(1, a + b z): the members' normal intervals
 * are too narrow for real errors, and more so in the tails. a and b were fitted on the same
 * validation errors (80% and 95% coverage), never on M3's test periods.
 */

export type MemberId = 'ets' | 'ets_r' | 'theta' | 'damped' | 'ets_sa' | 'ses' | 'arima' | 'arima_ml' | 'arima_mlm' | 'arima_mls' | 'dotm' | 'holt' | 'ces';

/**
 * ARIMA's estimation per member id (arima.ts, ArimaEstimation): arima_ml refits the chosen order's
 * coefficients by exact likelihood, arima_mlm its mean or drift too, arima_mls every candidate so.
 */
const ARIMA_ESTIMATION = { arima: 'css', arima_ml: 'ml', arima_mlm: 'ml-mean', arima_mls: 'ml-search' } as const;

export interface EnsembleRecipe {
  members: MemberId[];
  /** mean; median; trimmed: the mean without the lowest and the highest member (at least 4 members). */
  combine: 'mean' | 'median' | 'trimmed';
  /** Relative weights of the members for combine 'mean' (default equal); ignored by median and trimmed. */
  weights?: number[];
  /** Interval widening s(z) = max(1, a + b z) for the two-sided normal quantile z of a level. */
  intervalScale: { a: number; b: number };
}

export const DEFAULT_RECIPE: EnsembleRecipe = {
  members: ['ses', 'dotm', 'damped', 'ces', 'arima'],
  combine: 'mean',
  weights: [1, 2, 1, 1, 1],
  intervalScale: { a: 0.78, b: 0.354 },
};

/** A non-seasonal exponential smoothing fit of the seasonally adjusted series, reseasonalised. */
function adjustedMember(y: number[], adj: SeasonalAdjustment, choose: (x: number[]) => EtsFit): FittedModel {
  const fit = choose(adj.x);
  const n = y.length;
  const fitted = Array.from(fit.run.fitted, (f, t) => adj.apply(f, t));
  return {
    parameters: { form: fit.name },
    aicc: null,
    sigma: residualSigma(y, fitted, 2),
    fitted,
    forecast(h, levels) {
      const f = etsForecast(fit, h, levels);
      const scale = (v: number, i: number) => adj.apply(v, n + i);
      return {
        mean: f.mean.map(scale),
        intervals: f.intervals.map((b) => ({ level: b.level, lower: b.lower.map(scale), upper: b.upper.map(scale) })),
      };
    },
  };
}

const DAMPED = { error: 'A', trend: 'Ad', season: 'N' } as const;
const SES = { error: 'A', trend: 'N', season: 'N' } as const;
const HOLT = { error: 'A', trend: 'A', season: 'N' } as const;

function combine(values: number[], how: EnsembleRecipe['combine'], weights: number[] | null): number {
  if (how === 'mean' && weights) return values.reduce((a, v, k) => a + weights[k] * v, 0);
  if (how === 'mean' || values.length < 3 || (how === 'trimmed' && values.length < 4)) return values.reduce((a, b) => a + b, 0) / values.length;
  const s = values.slice().sort((a, b) => a - b);
  if (how === 'trimmed') return s.slice(1, -1).reduce((a, b) => a + b, 0) / (s.length - 2);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

export function fitEnsemble(ctx: SeriesContext, recipe: EnsembleRecipe = DEFAULT_RECIPE): FittedModel {
  const y = ctx.y;
  const members: FittedModel[] = [];
  const parameters: Record<string, number | string | boolean> = { members: recipe.members.join('+'), combine: recipe.combine };
  const total = recipe.weights?.reduce((a, b) => a + b, 0) ?? 0;
  if (recipe.weights && (recipe.weights.length !== recipe.members.length || !(total > 0) || recipe.weights.some((w) => !(w >= 0)))) {
    throw new Error('ensemble weights: one non-negative weight per member, not all zero');
  }
  const weights = recipe.weights ? recipe.weights.map((w) => w / total) : null;
  if (recipe.weights) parameters.weights = recipe.weights.join('/');
  let candidates = 0;
  const scoring = ctx.scoring === true;
  // A member of one form stops at the scoring tolerance; automatic ETS screens its forms with it.
  const etsOptions = { absoluteTolerance: scoring ? SCORING_TOLERANCE.etsLikelihood : undefined };
  const autoOptions = { screen: scoringScreen(ctx) };
  // The ensemble is admitted a weak season for its members that shrink it (season-gate.ts); ARIMA,
  // ETS and Theta fit their season whole, so they get it only where the usual gate finds it.
  const wholePeriod = ctx.period !== null && seasonFound(y, ctx.period, false) ? ctx.period : null;
  // One adjustment for every adjusted member (each would otherwise decompose and shrink again).
  const adj = multiplicativeAdjustment(y, ctx.period);
  for (const id of recipe.members) {
    if (id === 'ets' || id === 'ets_r') {
      // ets_r: like the `ets` model and R's ets(), AICc judges seasonality at the calendar's period
      // even where the autocorrelation test found none; ets: only at the period runForecast passes.
      const auto = autoEts(y, id === 'ets_r' ? etsPeriod(ctx) : wholePeriod, { pruneSeasonal: false, ...autoOptions });
      members.push(etsFittedModel(auto.best, y, auto.candidates.length));
      parameters.etsForm = auto.best.name;
      candidates += auto.candidates.length;
    } else if (id === 'arima' || id === 'arima_ml' || id === 'arima_mlm' || id === 'arima_mls') {
      const model = arimaFittedModel(y, wholePeriod, ARIMA_ESTIMATION[id]);
      members.push(model);
      parameters.arimaOrder = String(model.parameters.order);
      candidates += model.candidatesEvaluated ?? 1;
    } else if (id === 'theta') {
      members.push(thetaFittedModel(y, wholePeriod, 2));
      candidates++;
    } else if (id === 'damped') {
      members.push(adjustedMember(y, adj, (x) => fitEtsForm(x, 1, DAMPED, etsOptions)));
      candidates++;
    } else if (id === 'dotm') {
      members.push(dynamicThetaFittedModel(y, ctx.period, scoring ? SCORING_TOLERANCE.dynamicTheta : undefined, adj));
      candidates++;
    } else if (id === 'ces') {
      members.push(cesFittedModel(y, ctx.period, scoring ? SCORING_TOLERANCE.ces : undefined, adj));
      candidates++;
    } else if (id === 'holt') {
      members.push(adjustedMember(y, adj, (x) => fitEtsForm(x, 1, HOLT, etsOptions)));
      candidates++;
    } else if (id === 'ses') {
      members.push(adjustedMember(y, adj, (x) => fitEtsForm(x, 1, SES, etsOptions)));
      candidates++;
    } else {
      members.push(adjustedMember(y, adj, (x) => autoEts(x, null, autoOptions).best));
      candidates += 6;
    }
  }
  const n = y.length;
  const fitted = Array.from({ length: n }, (_, t) => combine(members.map((m) => m.fitted[t]), recipe.combine, weights));
  // Only the shown fit says how much of the season its adjusted members kept (scoring fits are not shown).
  const note = ctx.period !== null && !scoring ? shrinkageNote(ctx.period, adj.kept, adj.shift) : null;
  // The share of the season its adjusted members kept, noted or not.
  if (ctx.period !== null && adj.kept < 1) parameters.seasonKept = adj.kept;
  return {
    ...(note ? { warnings: [`exponential smoothing, dynamic Theta and CES members: ${note}`] } : {}),
    parameters,
    aicc: null,
    sigma: residualSigma(y, fitted, 0),
    fitted,
    candidatesEvaluated: candidates,
    forecast(h, levels) {
      const fcs = members.map((m) => m.forecast(h, levels));
      const mean = Array.from({ length: h }, (_, i) => combine(fcs.map((f) => f.mean[i]), recipe.combine, weights));
      const intervals: IntervalBand[] = levels.map((level, k) => {
        const scale = Math.max(1, recipe.intervalScale.a + recipe.intervalScale.b * normalQuantile(0.5 + level / 200));
        const lower = new Array<number>(h);
        const upper = new Array<number>(h);
        for (let i = 0; i < h; i++) {
          const lo = combine(fcs.map((f) => f.intervals[k].lower[i]), recipe.combine, weights);
          const hi = combine(fcs.map((f) => f.intervals[k].upper[i]), recipe.combine, weights);
          lower[i] = mean[i] - scale * Math.max(0, mean[i] - lo);
          upper[i] = mean[i] + scale * Math.max(0, hi - mean[i]);
        }
        return { level, lower, upper };
      });
      return { mean, intervals };
    },
  };
}

export const ensembleModel: ModelDefinition = {
  shrinksSeason: true,
  info: {
    id: 'ensemble',
    name: 'Ensemble (SES + dynamic Theta + damped trend + CES + ARIMA)',
    description:
      'Weighted combination of simple exponential smoothing, dynamic optimised Theta (double weight), the damped trend and complex ' +
      'exponential smoothing on seasonally adjusted data, and seasonal ARIMA; prediction intervals average the members\' bounds, widened to the coverage seen in ' +
      'rolling-origin validation. The recommended automatic choice: the most accurate on the M3 benchmark.',
    family: 'combination',
    parameters: [],
    seasonal: true,
    intermittent: false,
  },
  // Never below its members' (dynamic Theta 5, ARIMA 6), so a short series fails with a clear message.
  minLength: (period) => Math.max(6, period !== null && period > 1 ? 2 * period : 0),
  fit(ctx: SeriesContext, _params: ParameterValues | null): FittedModel {
    return fitEnsemble(ctx);
  },
};
