import type { Frequency, SeasonalProfile } from '../forecast-types.js';

/**
 * A yearly seasonal profile keyed by the calendar (month of the year, quarter, week of the year,
 * day of the year), not by a series' position, so one profile can be laid over any SKU of the
 * same frequency whatever its start date. Multiplicative: indices average 1 over the slots.
 *
 * It is what a SKU too short to estimate its own year can borrow from its dataset (pooled across
 * the SKUs that have two years or more: pooledSeasonalProfile), and what a daily SKU with two years
 * of its own estimates for its 365-day season on top of the weekly one (ownYearlyProfile).
 */
export type { SeasonalProfile };

/** Slots of the yearly season per frequency; yearly data have none. */
export function profileSlots(frequency: Frequency): number {
  switch (frequency) {
    case 'daily': return 365;
    case 'weekly': return 52;
    case 'monthly': return 12;
    case 'quarterly': return 4;
    default: return 0;
  }
}

function parse(date: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(date.trim());
  if (!m) return null;
  return { y: Number(m[1]), m: m[2] ? Number(m[2]) : 1, d: m[3] ? Number(m[3]) : 1 };
}

/**
 * The calendar slot of a date at this frequency, or -1 when the date cannot be read. Days of the
 * year count a 365-day year: 29 February shares 28 February's slot. Weeks are 7-day blocks from
 * 1 January, the 53rd (the year's last one or two days) joining the 52nd.
 */
export function calendarSlot(date: string, frequency: Frequency): number {
  const p = parse(date);
  if (!p || p.m < 1 || p.m > 12) return -1;
  if (frequency === 'monthly') return p.m - 1;
  if (frequency === 'quarterly') return Math.floor((p.m - 1) / 3);
  const start = Date.UTC(p.y, 0, 1);
  const doy = Math.round((Date.UTC(p.y, p.m - 1, p.d) - start) / 86_400_000);
  if (frequency === 'weekly') return Math.min(51, Math.floor(doy / 7));
  if (frequency === 'daily') {
    const leap = (p.y % 4 === 0 && p.y % 100 !== 0) || p.y % 400 === 0;
    return leap && doy >= 59 ? doy - 1 : doy;
  }
  return -1;
}

/** The ISO date one year before `date` (same format), for cut-offs. */
export function oneYearBefore(date: string): string {
  const m = /^(\d{4})(.*)$/.exec(date.trim());
  if (!m) return date;
  return `${String(Number(m[1]) - 1).padStart(4, '0')}${m[2]}`;
}

/**
 * The centred moving average of order `period` (2 x period when even, as R's decompose), by
 * running sums so a 365-day window over years of daily data stays linear; NaN where the window
 * does not fit.
 */
export function centredMovingAverage(y: ArrayLike<number>, period: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const half = Math.floor(period / 2);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + y[i];
  for (let t = half; t < n - half; t++) {
    out[t] = period % 2 === 0
      ? (prefix[t + half] - prefix[t - half + 1] + 0.5 * (y[t - half] + y[t + half])) / period
      : (prefix[t + half + 1] - prefix[t - half]) / period;
  }
  return out;
}

/**
 * One series' seasonal ratios per slot (ratio to its centred yearly moving average, mean per
 * slot, normalised to mean 1), or null when it does not cover every slot with a positive trend.
 */
export function seriesSlotIndices(values: ArrayLike<number>, dates: string[], frequency: Frequency): number[] | null {
  const slots = profileSlots(frequency);
  if (slots === 0 || values.length < 2 * slots || dates.length !== values.length || !contiguous(dates, frequency)) return null;
  const trend = centredMovingAverage(values, slots);
  const sums = new Float64Array(slots);
  const counts = new Float64Array(slots);
  for (let t = 0; t < values.length; t++) {
    const tr = trend[t];
    if (!(tr > 0)) continue;
    const s = calendarSlot(dates[t], frequency);
    if (s < 0) continue;
    sums[s] += values[t] / tr;
    counts[s]++;
  }
  const out: number[] = [];
  for (let s = 0; s < slots; s++) {
    if (counts[s] === 0) return null;
    out.push(sums[s] / counts[s]);
  }
  return normalise(frequency === 'daily' ? smoothCircular(out, DAILY_HARMONICS) : out);
}

/**
 * Whether the dates are one period apart from first to last (a history left with gaps, fillGaps
 * 'report'): the centred moving average runs by position, and over a gap its window would span
 * more than a year, so such a series gives no profile. First and last dates only: dates ascend.
 */
export function contiguous(dates: string[], frequency: Frequency): boolean {
  const a = parse(dates[0] ?? '');
  const b = parse(dates[dates.length - 1] ?? '');
  if (!a || !b) return false;
  const n = dates.length;
  const months = (b.y - a.y) * 12 + (b.m - a.m);
  const days = Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
  switch (frequency) {
    case 'daily': return days + 1 === n;
    case 'weekly': return Math.round(days / 7) + 1 === n;
    case 'monthly': return months + 1 === n;
    case 'quarterly': return Math.round(months / 3) + 1 === n;
    default: return false;
  }
}

/**
 * Harmonics kept of a day-of-year profile: features about three weeks wide survive, the weekly
 * pattern (52 cycles a year) and the day-to-day noise of a few years' ratios do not.
 */
export const DAILY_HARMONICS = 8;

/** The projection of a circular profile on its first `k` Fourier harmonics (and its mean). */
export function smoothCircular(x: number[], k: number): number[] {
  const n = x.length;
  const out = new Array<number>(n).fill(x.reduce((a, b) => a + b, 0) / n);
  for (let h = 1; h <= k && 2 * h < n; h++) {
    let a = 0;
    let b = 0;
    for (let t = 0; t < n; t++) {
      a += x[t] * Math.cos((2 * Math.PI * h * t) / n);
      b += x[t] * Math.sin((2 * Math.PI * h * t) / n);
    }
    a *= 2 / n;
    b *= 2 / n;
    for (let t = 0; t < n; t++) out[t] += a * Math.cos((2 * Math.PI * h * t) / n) + b * Math.sin((2 * Math.PI * h * t) / n);
  }
  return out;
}

// Bounds on an index: one slot cannot make a forecast vanish or explode.
const MIN_INDEX = 0.05;
const MAX_INDEX = 20;

function normalise(x: number[]): number[] {
  const clamped = x.map((v) => Math.min(MAX_INDEX, Math.max(MIN_INDEX, Number.isFinite(v) ? v : 1)));
  const mean = clamped.reduce((a, b) => a + b, 0) / clamped.length;
  return clamped.map((v) => v / mean);
}

/**
 * Whether a job of this model on a history of `length` periods may be given a profile pooled
 * across its dataset (forecastSku decides by cross-validation whether to use it): a seasonal,
 * non-intermittent model on less than two years. The planner and the worker share this rule: such
 * a job's result depends on other SKUs' data, so it is filed under no input hash (job-planner.ts).
 */
export function mayBorrowProfile(model: { seasonal: boolean; intermittent?: boolean } | undefined, frequency: Frequency, length: number): boolean {
  const slots = profileSlots(frequency);
  return !!model && model.seasonal && !model.intermittent && slots > 0 && length < 2 * slots;
}

/** The fewest SKUs a pooled profile is made from: with one or two, one odd SKU would set the season. */
export const MIN_POOLED_SKUS = 3;

export interface ProfileSeries {
  values: ArrayLike<number>;
  dates: string[];
}

/**
 * A profile pooled across SKUs, as retail planners build one for a category: each SKU with two
 * full years of history up to `through` gives its normalised seasonal indices, and each slot takes
 * their median (one promotion-driven SKU cannot move it). Data after `through` are left out, so a
 * short SKU's cross-validation never scores against values the profile has seen. Null with fewer
 * than MIN_POOLED_SKUS such SKUs.
 */
export function pooledSeasonalProfile(series: ProfileSeries[], frequency: Frequency, through: string, scope: string): SeasonalProfile | null {
  const perSku: number[][] = [];
  for (const s of series) {
    const idx = slotIndicesThrough(s, frequency, through);
    if (idx) perSku.push(idx);
  }
  return poolSlotIndices(perSku, frequency, through, scope);
}

/**
 * One SKU's contribution to a pooled profile: its normalised indices from the data up to
 * `through`, or null when that is less than two years or holds a negative value (a return
 * netted into a period is no season).
 */
export function slotIndicesThrough(s: ProfileSeries, frequency: Frequency, through: string): number[] | null {
  const slots = profileSlots(frequency);
  if (slots === 0) return null;
  let end = s.dates.length;
  while (end > 0 && s.dates[end - 1] > through) end--;
  if (end < 2 * slots) return null;
  const values = Array.from({ length: end }, (_, i) => s.values[i]);
  if (!values.every((v) => Number.isFinite(v) && v >= 0)) return null;
  return seriesSlotIndices(values, s.dates.slice(0, end), frequency);
}

/** The pooled profile from the SKUs' contributions (slotIndicesThrough): the median per slot; null with fewer than MIN_POOLED_SKUS. */
export function poolSlotIndices(perSku: Array<ArrayLike<number>>, frequency: Frequency, through: string, scope: string): SeasonalProfile | null {
  const slots = profileSlots(frequency);
  if (slots === 0 || perSku.length < MIN_POOLED_SKUS) return null;
  const indices: number[] = [];
  for (let k = 0; k < slots; k++) indices.push(median(perSku.map((p) => p[k])));
  return { frequency, indices: normalise(indices), skus: perSku.length, scope, through };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * How much of a daily series' yearly movement a day-of-year profile explains: the adjusted R^2 of
 * the profile on the ratios to the centred 365-day mean, after dividing out each weekday's mean
 * ratio (the weekly season is the models' own). 2 x DAILY_HARMONICS coefficients are counted as
 * fitted, so noise scores about 0 whatever the length. 0 where the ratios cannot be formed.
 */
export function yearlyStrength(values: ArrayLike<number>, dates: string[], indices: number[]): number {
  const slots = indices.length;
  const trend = centredMovingAverage(values, slots);
  const ratios: number[] = [];
  const slotOf: number[] = [];
  const weekday: number[] = [];
  const daySum = new Float64Array(7);
  const dayCount = new Float64Array(7);
  for (let t = 0; t < values.length; t++) {
    const s = calendarSlot(dates[t], 'daily');
    if (!(trend[t] > 0) || s < 0) continue;
    const r = values[t] / trend[t];
    const w = new Date(`${dates[t].slice(0, 10)}T00:00:00Z`).getUTCDay();
    if (!Number.isFinite(r) || !(w >= 0)) continue;
    ratios.push(r);
    slotOf.push(s);
    weekday.push(w);
    daySum[w] += r;
    dayCount[w]++;
  }
  const m = ratios.length;
  const fitted = 2 * DAILY_HARMONICS;
  if (m <= fitted + 8) return 0;
  const adjusted = ratios.map((r, i) => r / (daySum[weekday[i]] / dayCount[weekday[i]]));
  const mean = adjusted.reduce((a, b) => a + b, 0) / m;
  let ssTotal = 0;
  let ssResidual = 0;
  adjusted.forEach((r, i) => {
    ssTotal += (r - mean) ** 2;
    ssResidual += (r - mean * indices[slotOf[i]]) ** 2;
  });
  if (!(ssTotal > 0)) return 0;
  return 1 - (ssResidual / (m - fitted - 1)) / (ssTotal / (m - 1));
}
