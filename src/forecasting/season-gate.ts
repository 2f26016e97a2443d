import { seasonalityTest, seasonalStrength } from './decomposition.js';

/**
 * Whether a history shows a season at period m, the gate runForecast's seasonalPeriod and the
 * ensemble's members share. Three seasons or more: the M3 90% autocorrelation test, or the seasonal
 * strength of the detrended series (a trend defeats the test); two seasons: the strength alone.
 */

/**
 * Below this seasonal strength (seasonalStrength: adjusted R^2 of the season in the detrended
 * series) a history the autocorrelation test rejects is fitted without a season. Chosen on
 * validation origins of M3's training data (bench:planner --validate), not on its test periods.
 */
const SEASONAL_STRENGTH_THRESHOLD = 0.5;

/**
 * The same where the season will be shrunk by its noise (seasonal-shrinkage.ts) and the history
 * lets the shrinkage measure that noise (`shrinkable`: three seasons and 12 degrees of freedom): a
 * weak season is kept as far as it is signal rather than dropped whole. Chosen with the shrinkage
 * on validation origins of M3's training data (docs/forecasting.md, Seasonality).
 */
export const SHRUNK_SEASON_STRENGTH_THRESHOLD = 0.1;

/**
 * The degrees of freedom the noise estimate needs: s2 on d of them has a relative standard error of
 * sqrt(2 / d), 41% at 12, 71% at 4 (a 12-quarter history), where a season was shrunk away or kept
 * whole by the draw. 36 months have 12, 20 quarters 12, 156 weeks 52.
 */
const MIN_NOISE_DF = 12;

/** Whether a history of n points at this period leaves the shrinkage enough to measure its noise. */
export function shrinkable(n: number, period: number): boolean {
  const ratios = n - 2 * Math.floor(period / 2);
  return n >= 3 * period && ratios - period >= MIN_NOISE_DF;
}

/** `shrunk`: the season found goes through the shrunk seasonal adjustment (ModelDefinition.shrinksSeason). */
export function seasonFound(y: ArrayLike<number>, m: number, shrunk: boolean): boolean {
  const n = y.length;
  if (n < 2 * m) return false;
  const threshold = shrunk && shrinkable(n, m) ? SHRUNK_SEASON_STRENGTH_THRESHOLD : SEASONAL_STRENGTH_THRESHOLD;
  return (n >= 3 * m && seasonalityTest(y, m)) || seasonalStrength(y, m) >= threshold;
}
