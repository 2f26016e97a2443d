/**
 * Realistic series for the seasonal profile tests (test-only, deterministic): daily sales with a
 * weekly pattern, a yearly season and a trend; monthly SKUs sharing one retail season.
 */

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const WEEKDAY = [0.8, 0.9, 1.0, 1.0, 1.1, 1.4, 0.8]; // Sunday .. Saturday

/** The yearly season of the daily fixture at day-of-year `doy` (0-based): a spring peak, an autumn trough. */
export function dailyYearly(doy: number): number {
  return 1 + 0.4 * Math.sin((2 * Math.PI * doy) / 365);
}

export interface DailyOptions { days: number; seed?: number; yearly?: boolean; start?: [number, number, number] }

/** Daily sales from 2022-01-01: (100 + 0.05 t) x weekday x yearly x (1 +/- 5% noise); `truth` is without the noise. */
export function dailySeries(o: DailyOptions): { dates: string[]; values: number[]; truth: (t: number) => number } {
  const rand = seededRandom(o.seed ?? 7);
  const [y, m, d] = o.start ?? [2022, 0, 1];
  const start = Date.UTC(y, m, d);
  const truth = (t: number): number => {
    const date = new Date(start + t * 86_400_000);
    const doy = Math.round((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000);
    return (100 + 0.05 * t) * WEEKDAY[date.getUTCDay()] * (o.yearly === false ? 1 : dailyYearly(Math.min(doy, 364)));
  };
  const dates: string[] = [];
  const values: number[] = [];
  for (let t = 0; t < o.days; t++) {
    dates.push(new Date(start + t * 86_400_000).toISOString().slice(0, 10));
    values.push(Math.round(truth(t) * (1 + 0.1 * (rand() - 0.5))));
  }
  return { dates, values, truth };
}

/** A retail year: quiet January-February, a summer bump, a strong November-December. */
export const RETAIL_SEASON = [0.7, 0.75, 0.9, 0.95, 1.0, 1.1, 1.15, 1.05, 0.95, 1.0, 1.25, 1.6];

/** Monthly dates ending 2024-12 (36 months from 2022-01), or the last `n` of them. */
export function monthlyDates(n: number): string[] {
  const out: string[] = [];
  for (let i = 36 - n; i < 36; i++) out.push(`${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  return out;
}

/** A monthly SKU of the retail season: level x season x (1 + trend) x noise, over the last `n` months to 2024-12. */
export function retailSku(n: number, level: number, seed: number, season = RETAIL_SEASON): { dates: string[]; values: number[] } {
  const rand = seededRandom(seed);
  const dates = monthlyDates(n);
  const values = dates.map((d, i) => {
    const month = Number(d.slice(5, 7)) - 1;
    return Math.round(level * season[month] * (1 + 0.005 * i) * (1 + 0.12 * (rand() - 0.5)));
  });
  return { dates, values };
}

/** Weekly sales from 2022-01-02 (Sundays): (200 + 0.5 t) x a retail year by week x (1 +/- 5% noise); `truth` without the noise. */
export function weeklySeries(weeks: number, seed = 11, seasonal = true): { dates: string[]; values: number[]; truth: (t: number) => number } {
  const rand = seededRandom(seed);
  const start = Date.UTC(2022, 0, 2);
  const dateOf = (t: number) => new Date(start + 7 * t * 86_400_000);
  const truth = (t: number): number => {
    const d = dateOf(t);
    const month = d.getUTCMonth();
    return (200 + 0.5 * t) * (seasonal ? RETAIL_SEASON[month] : 1);
  };
  const dates: string[] = [];
  const values: number[] = [];
  for (let t = 0; t < weeks; t++) {
    dates.push(dateOf(t).toISOString().slice(0, 10));
    values.push(Math.round(truth(t) * (1 + 0.1 * (rand() - 0.5))));
  }
  return { dates, values, truth };
}

/** Pearson correlation of two equal-length series (0 when either is flat): how closely a forecast follows a season. */
export function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i] - mb);
    aa += (v - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
