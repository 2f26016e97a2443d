import type { Frequency } from './forecast-types.js';

/**
 * A SKU that has stopped selling: its history ends with a run of zeros at least a calendar year
 * long, which its own earlier rate of demand makes unlikely. runForecast then forecasts it as
 * inactive (0, with bands from that run: every value of it is 0), whatever the model, and so
 * does each cross-validation origin whose history is such a SKU's.
 *
 * Why a rule and not the models: a model fitted on the whole history carries the years of sales
 * into the forecast (croston updates only at a demand, so after a year of zeros it still forecasts
 * the old rate; the others drift down to a small positive level), and the cross-validation origins
 * before the stop score forecasts of demand against the zeros that followed, so the bands
 * calibrated on them span the old sales (a discontinued SKU's 95% band reached 226 on a mean of
 * 0.1). A year, so that a seasonal SKU's off-season (sales from October to December only) is never
 * read as a stop. The rate test, so that a slow mover that sells every year or two is not: under
 * its demand rate p (the share of periods with a sale from its first sale to the run, as TSB's
 * demand probability, with half a sale added as prior: (d + 1/2) / (m + 1)) a run of k zeros has
 * chance (1 - p)^k; the run counts as a stop below INACTIVE_CHANCE. A SKU that sold every month
 * then stopped for 12: p = 0.98, chance 1e-20. One that sold in a sixth of its months: 0.11, kept.
 */

/** A run of zeros is read as a stop when, at the SKU's earlier demand rate, it had less than this chance. */
export const INACTIVE_CHANCE = 0.05;

const PERIODS_PER_YEAR: Record<Frequency, number> = { daily: 365, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 };

export interface InactiveRun {
  /** Length of the trailing run of zeros. */
  zeros: number;
  /** Periods with a sale, and periods, from the first sale to the run. */
  sales: number;
  periods: number;
  /** (1 - p)^zeros, p = (sales + 1/2) / (periods + 1). */
  chance: number;
}

/** The history's trailing run of zeros when it reads as a stop (above), else null. Histories with a negative value are never inactive. */
export function inactiveRun(y: readonly number[], frequency: Frequency): InactiveRun | null {
  let end = y.length;
  while (end > 0 && y[end - 1] === 0) end--;
  const zeros = y.length - end;
  if (zeros < PERIODS_PER_YEAR[frequency] || end === 0) return null;
  let first = -1;
  let sales = 0;
  for (let i = 0; i < end; i++) {
    if (y[i] < 0) return null;
    if (y[i] > 0) {
      if (first < 0) first = i;
      sales++;
    }
  }
  const periods = end - first;
  const p = (sales + 0.5) / (periods + 1);
  const chance = Math.pow(1 - p, zeros);
  return chance < INACTIVE_CHANCE ? { zeros, sales, periods, chance } : null;
}

/** The warning an inactive result carries (and the choice's sentence). */
export function inactiveText(run: InactiveRun, frequency: Frequency): string {
  const unit = { daily: 'days', weekly: 'weeks', monthly: 'months', quarterly: 'quarters', yearly: 'years' }[frequency];
  const chance = run.chance < 0.001 ? 'under 0.1%' : `${Math.round(run.chance * 1000) / 10}%`;
  return `no demand in the last ${run.zeros} ${unit}, after sales in ${run.sales} of the ${run.periods} ${unit} before (at that rate a run this long had a chance of ${chance}): forecast as inactive, 0 with no spread`;
}
