import type { FittedModel } from './model-definition.js';
import { intervalBands } from './prediction-intervals.js';
import { esPointForecast, esVarianceMultipliers } from './es-filter.js';
import { multiplicativeSeasonForecast } from './es-multiplicative-forecast.js';
import type { EsFit } from './es-fit.js';

/** Wraps an EsFit as the engine's FittedModel, with ETS prediction intervals. */
export function esFittedModel(fit: EsFit, parameters: Record<string, number | string | boolean>, candidatesEvaluated = 1): FittedModel {
  let fitted: number[] | null = null;
  return {
    parameters,
    aicc: fit.aicc,
    sigma: fit.sigma,
    // Copied when first read: a grid candidate only forecasts, and hundreds are fitted per SKU.
    get fitted() { return (fitted ??= Array.from(fit.fitted)); },
    candidatesEvaluated,
    forecast(h, levels) {
      const s2 = fit.sigma * fit.sigma;
      if (fit.form.error === 'M' && fit.form.season === 'M') {
        // R's class 3 means and variances; past monthly periods the (2m)^2 variance recursion costs
        // too much, so only the means are exact there and the variance is approximated below.
        const m = fit.form.m;
        const exactVariance = levels.length > 0 && m <= 12;
        const seasonal = Array.from({ length: m }, (_, k) => fit.final.s[(((fit.n - 1 - k) % m) + m) % m]);
        const r = multiplicativeSeasonForecast(fit.form, fit.params, fit.final.l, fit.final.b, seasonal, s2, h, exactVariance);
        if (!exactVariance && r.mean.every(Number.isFinite)) {
          const mult = esVarianceMultipliers(fit.form, fit.params, h);
          const variance = r.mean.map((f, i) => f * f * s2 * mult[i]);
          return { mean: r.mean, intervals: intervalBands(r.mean, variance, levels) };
        }
        if (r.mean.every(Number.isFinite) && r.variance.every((v) => Number.isFinite(v) && v >= 0)) {
          return { mean: r.mean, intervals: intervalBands(r.mean, r.variance, levels) };
        }
      }
      const mean = esPointForecast(fit.form, fit.params, fit.final.l, fit.final.b, fit.final.s, fit.n, h);
      // A grid candidate's holdout forecast asks for no band: skip the variance recursion.
      if (levels.length === 0) return { mean, intervals: [] };
      const mult = esVarianceMultipliers(fit.form, fit.params, h);
      // Other multiplicative-error forms: the relative variance times the squared point forecast.
      const variance = mean.map((f, i) => (fit.form.error === 'M' ? f * f : 1) * s2 * mult[i]);
      return { mean, intervals: intervalBands(mean, variance, levels) };
    },
  };
}
