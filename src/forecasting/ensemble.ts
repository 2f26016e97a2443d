import { autoEts } from './ets/ets-auto.js';
import { fitEtsForm } from './ets/ets-estimate.js';
import { etsForecast } from './ets/ets-forecast.js';
import type { IntervalBand } from './forecast-types.js';
import type { FittedModel, ModelDefinition, ParameterValues, SeriesContext } from './model-definition.js';
import { residualSigma } from './prediction-intervals.js';
import { multiplicativeAdjustment, thetaFittedModel } from './theta.js';

/**
 * An equal-weight combination of three strong, different exponential-smoothing forecasters:
 * automatic ETS (AICc over the state-space forms), Theta (thetaf), and the damped trend on the
 * seasonally adjusted series (as in the M3 competition). Combining forecasts whose errors are only
 * partly correlated is the most reliable gain known on M3/M4 (Makridakis et al.).
 *
 * Intervals: each bound is the mean of the members' bounds at that level (quantile averaging),
 * widened by `intervalScale` about the combined mean. See docs/forecasting-advanced.md for how the
 * recipe and the scale were chosen (rolling-origin on the training parts only).
 */

export type MemberId = 'ets' | 'theta' | 'damped';

export interface EnsembleRecipe {
  members: MemberId[];
  combine: 'mean' | 'median';
  intervalScale: number;
}

export const DEFAULT_RECIPE: EnsembleRecipe = { members: ['ets', 'theta', 'damped'], combine: 'mean', intervalScale: 1 };

function dampedMember(y: number[], period: number | null): FittedModel {
  const adj = multiplicativeAdjustment(y, period);
  const fit = fitEtsForm(adj.x, 1, { error: 'A', trend: 'Ad', season: 'N' });
  const n = y.length;
  const fitted = Array.from(fit.run.fitted, (f, t) => f * adj.index(t));
  return {
    parameters: { alpha: fit.params.alpha, beta: fit.params.beta, phi: fit.params.phi },
    aicc: null,
    sigma: residualSigma(y, fitted, 5),
    fitted,
    forecast(h, levels) {
      const f = etsForecast(fit, h, levels);
      const scale = (v: number, i: number) => v * adj.index(n + i);
      return {
        mean: f.mean.map(scale),
        intervals: f.intervals.map((b) => ({ level: b.level, lower: b.lower.map(scale), upper: b.upper.map(scale) })),
      };
    },
  };
}

function etsMember(y: number[], period: number | null): { model: FittedModel; form: string } {
  const auto = autoEts(y, period, { pruneSeasonal: false });
  const fit = auto.best;
  const fitted = Array.from(fit.run.fitted);
  return {
    form: fit.name,
    model: {
      parameters: { form: fit.name },
      aicc: fit.aicc,
      sigma: residualSigma(y, fitted, 2),
      fitted,
      candidatesEvaluated: auto.candidates.length,
      forecast(h, levels) {
        const f = etsForecast(fit, h, levels);
        return { mean: f.mean, intervals: f.intervals };
      },
    },
  };
}

function combine(values: number[], how: 'mean' | 'median'): number {
  if (how === 'mean' || values.length < 3) return values.reduce((a, b) => a + b, 0) / values.length;
  const s = values.slice().sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

export function fitEnsemble(ctx: SeriesContext, recipe: EnsembleRecipe = DEFAULT_RECIPE): FittedModel {
  const y = ctx.y;
  const members: FittedModel[] = [];
  const parameters: Record<string, number | string | boolean> = { members: recipe.members.join('+'), combine: recipe.combine };
  let candidates = 0;
  for (const id of recipe.members) {
    if (id === 'ets') {
      const e = etsMember(y, ctx.period);
      members.push(e.model);
      parameters.etsForm = e.form;
      candidates += e.model.candidatesEvaluated ?? 1;
    } else if (id === 'theta') {
      members.push(thetaFittedModel(y, ctx.period, 2));
      candidates++;
    } else {
      members.push(dampedMember(y, ctx.period));
      candidates++;
    }
  }
  const n = y.length;
  const fitted = Array.from({ length: n }, (_, t) => combine(members.map((m) => m.fitted[t]), recipe.combine));
  return {
    parameters,
    aicc: null,
    sigma: residualSigma(y, fitted, 0),
    fitted,
    candidatesEvaluated: candidates,
    forecast(h, levels) {
      const fcs = members.map((m) => m.forecast(h, levels));
      const mean = Array.from({ length: h }, (_, i) => combine(fcs.map((f) => f.mean[i]), recipe.combine));
      const intervals: IntervalBand[] = levels.map((level, k) => {
        const lower = new Array<number>(h);
        const upper = new Array<number>(h);
        for (let i = 0; i < h; i++) {
          const lo = combine(fcs.map((f) => f.intervals[k].lower[i]), recipe.combine);
          const hi = combine(fcs.map((f) => f.intervals[k].upper[i]), recipe.combine);
          lower[i] = mean[i] - recipe.intervalScale * Math.max(0, mean[i] - lo);
          upper[i] = mean[i] + recipe.intervalScale * Math.max(0, hi - mean[i]);
        }
        return { level, lower, upper };
      });
      return { mean, intervals };
    },
  };
}

export const ensembleModel: ModelDefinition = {
  info: {
    id: 'ensemble',
    name: 'Ensemble (ETS + Theta + damped trend)',
    description:
      'Equal-weight combination of automatic ETS, Theta and the damped trend on seasonally adjusted data; ' +
      'prediction intervals average the members\' bounds. The most accurate automatic choice on the M3 benchmark.',
    family: 'combination',
    parameters: [],
    seasonal: true,
    intermittent: false,
  },
  minLength: (period) => (period !== null && period > 1 ? 2 * period : 4),
  fit(ctx: SeriesContext, _params: ParameterValues | null): FittedModel {
    return fitEnsemble(ctx);
  },
};
