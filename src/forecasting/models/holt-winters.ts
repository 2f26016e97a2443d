import type { ParameterSpec } from '../forecast-types.js';
import type { ModelDefinition, ParameterValues } from '../model-definition.js';
import type { EsFit } from '../es-fit.js';
import { estimateEs } from '../es-estimation.js';
import { esFittedModel } from '../es-fitted-model.js';
import { ALPHA, BETA, GAMMA, admissibleGrid, esParameters } from './es-model-shared.js';

const SEASONALITY: ParameterSpec = {
  name: 'seasonality',
  description: 'Seasonal form: 0 additive (fixed seasonal swings), 1 multiplicative (swings proportional to the level; positive data only).',
  grid: [0, 1],
  min: 0,
  max: 1,
  integer: true,
};

const PERIOD: ParameterSpec = {
  name: 'period',
  description: 'Season length; taken from the data frequency (12 monthly, 4 quarterly, 52 weekly, 7 daily) when the seasonality test finds a season.',
  grid: [],
  min: 1,
  max: 52,
  integer: true,
};

/**
 * Holt-Winters, as R's forecast::hw: additive seasonality is ETS(A,A,A), multiplicative is
 * ETS(M,A,M). `mle` fits both (multiplicative only for positive data) and keeps the lower AICc.
 * Without a seasonal period in use it is Holt's linear trend.
 */
export const holtWintersModel: ModelDefinition = {
  info: {
    id: 'holt_winters',
    name: 'Holt-Winters',
    description: 'Level, trend and a seasonal pattern, each smoothed; additive or multiplicative seasonality.',
    family: 'exponential smoothing',
    parameters: [ALPHA, BETA, GAMMA, SEASONALITY, PERIOD],
    seasonal: true,
    intermittent: false,
  },
  minLength: (period) => (period !== null && period > 1 ? 2 * period + 2 : 4),
  gridCandidates(ctx) {
    const seasonal = ctx.period !== null && ctx.period > 1;
    if (!seasonal) return admissibleGrid([ALPHA, BETA]);
    const positive = ctx.y.every((v) => v > 0);
    const base = admissibleGrid([ALPHA, BETA, GAMMA]);
    const out: ParameterValues[] = [];
    for (const s of positive ? [0, 1] : [0]) for (const c of base) out.push({ ...c, seasonality: s });
    return out;
  },
  fit(ctx, params) {
    const m = ctx.period ?? 1;
    if (m <= 1) {
      const fit = estimateEs(ctx.y, { error: 'A', trend: 'A', season: 'N', m: 1 }, params ? { alpha: params.alpha, beta: params.beta } : {});
      return esFittedModel(fit, { ...esParameters(fit), seasonality: 'none' });
    }
    const positive = ctx.y.every((v) => v > 0);
    const additive = () => estimateEs(ctx.y, { error: 'A', trend: 'A', season: 'A', m }, params ? { alpha: params.alpha, beta: params.beta, gamma: params.gamma } : {});
    const multiplicative = (start?: EsFit) => estimateEs(ctx.y, { error: 'M', trend: 'A', season: 'M', m }, params ? { alpha: params.alpha, beta: params.beta, gamma: params.gamma } : {}, { start });
    let fit: EsFit;
    let compared = 1;
    if (params) {
      fit = params.seasonality === 1 && positive ? multiplicative() : additive();
    } else {
      fit = additive();
      if (positive) {
        compared = 2;
        const alt = multiplicative(fit);
        if (alt.aicc !== null && (fit.aicc === null || alt.aicc < fit.aicc)) fit = alt;
      }
    }
    const seasonality = fit.form.season === 'M' ? 'multiplicative' : 'additive';
    return esFittedModel(fit, { ...esParameters(fit), seasonality, period: m }, compared);
  },
};
