import { seasonalityTest, seasonalStrength } from './decomposition.js';
import { shrinkable } from './seasonal-shrinkage.js';

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
export const SEASONAL_STRENGTH_THRESHOLD = 0.5;

/**
 * The same where the season will be shrunk by its noise (seasonal-shrinkage.ts) and the history
 * lets the shrinkage measure that noise (`shrinkable`: three seasons and 12 degrees of freedom): a
 * weak season is kept as far as it is signal rather than dropped whole. Chosen with SHRINKAGE_FACTOR on validation origins of
 * M3's training data (docs/forecasting.md, Seasonality).
 */
export const SHRUNK_SEASON_STRENGTH_THRESHOLD = 0.1;

/** `shrunk`: the season found goes through the shrunk seasonal adjustment (ModelDefinition.shrinksSeason). */
export function seasonFound(y: ArrayLike<number>, m: number, shrunk: boolean): boolean {
  const n = y.length;
  if (n < 2 * m) return false;
  const threshold = shrunk && shrinkable(n, m) ? SHRUNK_SEASON_STRENGTH_THRESHOLD : SEASONAL_STRENGTH_THRESHOLD;
  return (n >= 3 * m && seasonalityTest(y, m)) || seasonalStrength(y, m) >= threshold;
}
