import { normalQuantile } from '../forecasting/index.js';
import type { ForecastItem, ForecastItemWithCv } from './dataset-forecasts.js';

/**
 * A member's spread for the band of a sum (aggregates.ts): its predictive sd on each date, read
 * from its own band, or for a member without one estimated from its past forecast errors.
 */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/**
 * A member's predictive sd on a date from its band (mean +- z sd). The engine cuts the lower bound
 * of a non-negative series at zero, which would shrink a width-based sd (by half for a mean near
 * zero) and so the band of a sum of slow movers: when the lower half is the shorter one and
 * reaches zero, the upper half alone gives the sd.
 */
export function memberSd(mean: number, lo: number, hi: number, z: number): number {
  if (!Number.isFinite(hi - lo) || !Number.isFinite(mean)) return 0;
  if (lo <= 0 && mean - lo < hi - mean) return Math.max(0, hi - mean) / z;
  return Math.max(0, hi - lo) / (2 * z);
}

/**
 * The band a member's sd is read from: its 95%, else its 80%, else the kept level nearest 95%
 * (intervalLevels [90] has neither: read as no band, each total was as certain as its mean). Not
 * the widest: bands are calibrated on cross-validation errors, and a 99% band of a short history
 * is its largest error, capped; one nearer 95% rests on more of them.
 */
export function memberBand(f: NonNullable<ForecastItem['forecast']>): { lower: number[]; upper: number[]; z: number } | null {
  if (f.lower95 && f.upper95) return { lower: f.lower95, upper: f.upper95, z: Z95 };
  if (f.lower80 && f.upper80) return { lower: f.lower80, upper: f.upper80, z: Z80 };
  const nearest = (f.intervals ?? []).reduce<(typeof f.intervals)[number] | null>(
    (n, b) => (n === null || Math.abs(b.level - 95) < Math.abs(n.level - 95) ? b : n), null);
  return nearest ? { lower: nearest.lower, upper: nearest.upper, z: normalQuantile(0.5 + nearest.level / 200) } : null;
}

/** Fewest errors an sd is taken from: with two, one large miss is half the estimate. */
const MIN_ERRORS = 3;
/**
 * Fewest errors a step's RMS enters the growth's fit with: a long history gets two origins
 * (originBudget), two errors a step, so three would leave no step measured and the flat holdout
 * RMS, which does not grow, in its place. The scale still pools at least MIN_ERRORS.
 */
const MIN_STEP_ERRORS = 2;
/** The growth when the errors measure a single step: a random walk's (sd grows as √h). */
const DEFAULT_GROWTH = 0.5;

/**
 * The sd of a member without a band, flat: the RMS of its holdout errors (actual - forecast), null
 * with fewer than three. Those are one origin's errors at steps 1 to holdout, so the sd neither
 * grows with the horizon nor is calibrated over several origins: the fallback of stepSd, used only
 * where the result keeps no cross-validation (a snapshot, a result of an engine before 1.4).
 */
export function holdoutSd(backtest: ForecastItem['backtest']): number | null {
  if (!backtest) return null;
  let ss = 0;
  let n = 0;
  for (let t = 0; t < backtest.actual.length; t++) {
    const e = backtest.actual[t] - backtest.fitted[t];
    if (!Number.isFinite(e)) continue;
    ss += e * e;
    n++;
  }
  return n >= MIN_ERRORS ? Math.sqrt(ss / n) : null;
}

/**
 * The sd of a member without a band at each of `horizon` steps, from its forecast's
 * cross-validation errors (several origins, each forecasting steps 1 to holdout): sd_h = a h^b.
 * The growth b is the slope of log RMS on log step over the steps measured (the RMS of the errors
 * the origins have at that step, at least two), between 0 (flat: a stationary series) and 1
 * (errors growing with the step, a trend); a random walk forecast by its last value gives about
 * 1/2, the growth taken when a single step is measured. The scale a pools every measured error
 * brought to step 1 by that growth (at least three in all): the engine has two origins for a long
 * history (over 150 points) and up to four for shorter ones, and one step's RMS of four errors
 * covers 88% where 95% is asked, so the
 * per-step RMS gives the shape, all of them the level. Past the last step the errors reach (the
 * holdout is 6 periods, the horizon 13) the sd keeps that growth; a flat holdout RMS covered 58%
 * of step 13 of a random walk for a nominal 95% (member-spread.test.ts). Null without
 * cross-validation errors for step 1.
 */
export function cvStepSd(cv: ForecastItemWithCv['cv'], horizon: number): number[] | null {
  if (!cv || horizon <= 0) return null;
  const ss: number[] = [];
  const n: number[] = [];
  cv.actual.forEach((actual, k) => {
    const forecast = cv.forecast[k];
    if (!forecast) return;
    for (let h = 0; h < actual.length && h < forecast.length; h++) {
      const e = actual[h] - forecast[h];
      if (!Number.isFinite(e)) continue;
      ss[h] = (ss[h] ?? 0) + e * e;
      n[h] = (n[h] ?? 0) + 1;
    }
  });
  const measured: Array<{ step: number; rms: number }> = [];
  for (let h = 0; h < n.length; h++) if ((n[h] ?? 0) >= MIN_STEP_ERRORS) measured.push({ step: h + 1, rms: Math.sqrt(ss[h] / n[h]) });
  if (measured.length === 0 || measured[0].step !== 1) return null;
  if (measured.reduce((total, m) => total + n[m.step - 1], 0) < MIN_ERRORS) return null;
  // Growth: least squares of log RMS on log step, over the steps with a nonzero RMS.
  const logs = measured.filter((m) => m.rms > 0).map((m) => ({ x: Math.log(m.step), y: Math.log(m.rms) }));
  let b = DEFAULT_GROWTH;
  if (logs.length >= 2) {
    const mx = logs.reduce((a, p) => a + p.x, 0) / logs.length;
    const my = logs.reduce((a, p) => a + p.y, 0) / logs.length;
    let sxy = 0;
    let sxx = 0;
    for (const p of logs) {
      sxy += (p.x - mx) * (p.y - my);
      sxx += (p.x - mx) ** 2;
    }
    b = sxx > 0 ? Math.min(1, Math.max(0, sxy / sxx)) : 0;
  }
  // The scale from every error of the measured steps, each brought to step 1 by that growth: per
  // step, two to four origins give a noisy RMS (four errors cover 88% where 95% is asked).
  let scaled = 0;
  let count = 0;
  for (const { step } of measured) {
    scaled += ss[step - 1] / step ** (2 * b);
    count += n[step - 1];
  }
  const a = Math.sqrt(scaled / count);
  const out: number[] = [];
  for (let step = 1; step <= horizon; step++) out.push(a * step ** b);
  return out;
}

/** A bandless member's sd per step: from cross-validation where the result has it, else its flat holdout RMS; null: unknown. */
export function stepSd(item: Pick<ForecastItemWithCv, 'cv' | 'backtest'>, horizon: number): { sd: number[]; from: 'cv' | 'holdout' } | null {
  const cv = cvStepSd(item.cv, horizon);
  if (cv) return { sd: cv, from: 'cv' };
  const flat = holdoutSd(item.backtest);
  return flat === null ? null : { sd: Array<number>(horizon).fill(flat), from: 'holdout' };
}
