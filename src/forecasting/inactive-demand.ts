import type { Frequency } from './forecast-types.js';

/**
 * A SKU that has stopped selling: its history ends with a run of periods without a sale (no
 * positive demand: zeros, and returns as negatives) at least a calendar year long (and at least
 * MIN_RUN periods), which its own earlier sales make unlikely. runForecast then forecasts it as
 * inactive (mean 0, whatever the model; bands of 0 only where the run is very unlikely, below
 * NO_SPREAD_CHANCE), and so does each cross-validation origin whose history is such a SKU's.
 *
 * Why a rule and not the models: a model fitted on the whole history carries the years of sales
 * into the forecast (croston updates only at a demand, so after a year of zeros it still forecasts
 * the old rate; the others drift down to a small positive level), and the cross-validation origins
 * before the stop score forecasts of demand against the zeros that followed, so the bands
 * calibrated on them span the old sales (a discontinued SKU's 95% band reached 226 on a mean of
 * 0.1). A year, so that a seasonal SKU's off-season (sales from October to December only) is not
 * read as a stop.
 *
 * The test is the exact conditional one: counting after the first sale (which starts the history
 * by construction), d' sales fell in n' periods; were the SKU still active, every placement of
 * those d' sales among the n' periods would be as likely, and the chance that none falls in the
 * last k is C(n' - k, d') / C(n', d'). No rate is estimated, so none is taken as known: measuring
 * the rate from the first sale to the last and plugging it into (1 - p)^k (engine 1.9.0 as first
 * merged) flagged 6-15% of simulated active SKUs at a 5% threshold; this test flags at most 5% by
 * construction (inactive-demand.test.ts simulates it). A SKU with a single sale (d' = 0) is never
 * flagged: nothing before the run says how often it sells. A SKU that sold every month then
 * stopped for 12 (24 months): 1 / C(35, 12), about 1e-9. One selling in a seventh of its months
 * keeps its forecast after a year without a sale.
 */

/** A run without a sale is read as a stop when, were the SKU still active, it had less than this chance. */
export const INACTIVE_CHANCE = 0.05;

/**
 * Below this chance the stop is certain enough for bands of exactly 0; between it and
 * INACTIVE_CHANCE the mean is 0 but the upper bounds stay the model's (calibrated) ones: a
 * restart is not ruled out, and a band of 0 would be missed by it.
 */
export const NO_SPREAD_CHANCE = 0.001;

/**
 * The shortest run read as a stop, whatever the frequency: one zero year after ten of sales is
 * not a stop (a single bad year happens), and a run of one period is a single observation.
 */
const MIN_RUN = 2;

const PERIODS_PER_YEAR: Record<Frequency, number> = { daily: 365, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 };

export interface InactiveRun {
  /** Length of the trailing run without a sale (values <= 0). */
  zeros: number;
  /** Periods with a sale (> 0), and periods, from the first sale to the run. */
  sales: number;
  periods: number;
  /** C(n' - zeros, d') / C(n', d'), d' = sales - 1, n' = periods - 1 + zeros (counted after the first sale). */
  chance: number;
}

/** The history's trailing run without a sale when it reads as a stop (above), else null. */
export function inactiveRun(y: readonly number[], frequency: Frequency): InactiveRun | null {
  let end = y.length;
  while (end > 0 && y[end - 1] <= 0) end--;
  const zeros = y.length - end;
  if (zeros < Math.max(MIN_RUN, PERIODS_PER_YEAR[frequency]) || end === 0) return null;
  let first = -1;
  let sales = 0;
  for (let i = 0; i < end; i++) {
    if (y[i] > 0) {
      if (first < 0) first = i;
      sales++;
    }
  }
  const periods = end - first;
  const chance = runChance(periods - 1 + zeros, sales - 1, zeros);
  return chance < INACTIVE_CHANCE ? { zeros, sales, periods, chance } : null;
}

/** Whether an inactive forecast gets bands of 0 (else mean 0, the model's upper bounds). */
export function noSpread(run: InactiveRun): boolean {
  return run.chance < NO_SPREAD_CHANCE;
}

/**
 * C(n - k, d) / C(n, d): the chance that d sales placed at random among n periods leave the last k
 * empty. As the product of (n - k - i) / (n - i), i < d, each factor at most 1: no factorial
 * overflows (C(1095, 300) for three years of daily data does), and no underflow before the product
 * is below any threshold.
 */
export function runChance(n: number, d: number, k: number): number {
  if (d > n - k) return 0;
  let chance = 1;
  for (let i = 0; i < d; i++) chance *= (n - k - i) / (n - i);
  return chance;
}

/** The warning an inactive result carries (and the choice's sentence). */
export function inactiveText(run: InactiveRun, frequency: Frequency): string {
  const unit = (count: number) => {
    const one = { daily: 'day', weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' }[frequency];
    return count === 1 ? one : `${one}s`;
  };
  const chance = run.chance < NO_SPREAD_CHANCE ? 'under 0.1%' : `${Math.round(run.chance * 1000) / 10}%`;
  const spread = noSpread(run) ? '0 with no spread' : 'mean 0, upper bounds kept as the model\'s in case it restarts';
  return `no demand in the last ${run.zeros} ${unit(run.zeros)}, after sales in ${run.sales} of the ${run.periods} ${unit(run.periods)} before (were it still selling, a run this long had a chance of ${chance}): forecast as inactive, ${spread}`;
}
