import type { IntervalBand } from './forecast-types.js';

/** Pseudo-observations pulling a combination's interval factor towards 1 (chosen on bench:planner --validate). */
export const COMBINATION_PRIOR = 20;

/** A factor may narrow a band only where this many errors or more lie beyond its conformal rank. */
export const NARROW_MARGIN = 5;

/**
 * Per level, the factor that scales a combination's half-widths (about its mean) so they cover
 * the combination's own cross-validation errors: at each origin the members' forecasts averaged,
 * each error divided by the combined band's half-width at the same step ahead (the half on the
 * error's side; the final band stands in for the origin's, which results do not keep), the
 * split-conformal quantile at rank ceil((N + 1) level / 100), shrunk towards 1 in log space with
 * weight N / (N + COMBINATION_PRIOR). It narrows only where NARROW_MARGIN errors or more lie
 * beyond that rank: the tail quantiles (95% on a few dozen correlated errors of members chosen on
 * those same errors) rest on the two or three largest, so there it only widens. null: fewer than 6
 * (finite) errors.
 *
 * `floor` is the bound the members clip at (0 for a history without negative values). Where the
 * final band's lower bound sits on it, it stays there whatever the factor (combined), so every
 * actual below the mean is inside the band on that side: its ratio is 0. Read against the clipped
 * half instead, every origin that forecast above an actual 0 counted as an exceedance and widened
 * the upper bound to many times the history (an intermittent SKU: 29 on data of 0 to 5); read
 * against the other half, the zeros looked like small errors, the factor narrowed, and the
 * rescaled lower bound left 0 (an 80% band covering a quarter of an intermittent SKU's demand).
 */
export function combinationFactors(cvActual: number[][], cvForecast: number[][], mean: number[], intervals: IntervalBand[], floor = Number.NEGATIVE_INFINITY): number[] | null {
  const h = mean.length;
  return intervals.map((band) => {
    const ratios: number[] = [];
    for (let k = 0; k < cvActual.length; k++) {
      for (let i = 0; i < cvActual[k].length; i++) {
        const j = Math.min(i, h - 1);
        const e = cvActual[k][i] - cvForecast[k][i];
        // Results read back from storage may hold what JSON made of a non-finite value.
        if (!Number.isFinite(e)) continue;
        const up = band.upper[j] - mean[j];
        const down = mean[j] - band.lower[j];
        if (e < 0 && band.lower[j] <= floor) {
          ratios.push(0);
          continue;
        }
        const half = e >= 0 ? up : down;
        if (half > 0) ratios.push(Math.abs(e) / half);
        else ratios.push(e === 0 ? 0 : Number.POSITIVE_INFINITY);
      }
    }
    return ratios;
  }).reduce<number[] | null>((acc, ratios, m) => {
    if (acc === null || ratios.length < 6) return null;
    const r = ratios.sort((a, b) => a - b);
    const n = r.length;
    const rank = Math.min(n, Math.ceil(((n + 1) * intervals[m].level) / 100));
    let q = r[rank - 1];
    if (!Number.isFinite(q)) q = r.filter(Number.isFinite).pop() ?? 1;
    q = Math.max(q, 1e-3);
    let f = Math.exp((n / (n + COMBINATION_PRIOR)) * Math.log(q));
    if (n - rank < NARROW_MARGIN) f = Math.max(1, f);
    acc.push(f);
    return acc;
  }, []);
}
