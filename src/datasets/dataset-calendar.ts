import type { Store } from '../stores/store.js';
import { dayFromIso as dayOf } from './date-parse.js';
import type { Dataset, Frequency } from './dataset.js';
import { periodGrid, weekdayIndex, weekdays, type Weekday } from './period-grid.js';

/**
 * The dataset's date convention, which new SKUs are dated by (month ends stay month ends, weeks
 * keep their weekday) and a weekly dataset's actuals are summed on. An import dates every series
 * one way; a new SKU appended before b702f5d was dated as its file wrote it, so a dataset may mix
 * conventions. The most common one among the series wins (ties: the one met first in SKU order),
 * so every file dates its new SKUs alike whichever SKUs it revises. A mixed dataset is not
 * repaired: its series keep their own dates.
 */
export interface DatasetCalendar {
  /** The dates of the first series (in SKU order) on the winning convention; [] when there is none. */
  dates: string[];
  /** Series per convention ('month ends', 'sunday weeks', ...), most common first: more than one is mixed. */
  conventions: Array<{ convention: string; series: number }>;
}

const page = 500;

/** Reads every series' dates, a page at a time (values are read too: the store has no lighter read). */
export async function datasetCalendar(store: Store, dataset: Pick<Dataset, 'id' | 'frequency'>): Promise<DatasetCalendar> {
  // Daily periods are days: there is no convention to follow.
  if (dataset.frequency === 'daily') return { dates: [], conventions: [] };
  const found = new Map<string, { series: number; dates: string[] }>();
  for (let offset = 0; ; offset += page) {
    const skus = (await store.listSkus(dataset.id, { sort: 'sku', order: 'asc', limit: page, offset })).items.map((i) => i.sku);
    if (skus.length === 0) break;
    const series = new Map((await store.getSeriesMany(dataset.id, skus)).map((s) => [s.sku, s.dates]));
    for (const sku of skus) {
      const dates = series.get(sku);
      const convention = dates && conventionOf(dataset.frequency, dates);
      if (!convention) continue;
      const seen = found.get(convention);
      if (seen) seen.series++;
      else found.set(convention, { series: 1, dates: dates! });
    }
    if (skus.length < page) break;
  }
  // Stable sort: on a tie the convention met first (in SKU order) stays first.
  const ranked = [...found].sort((a, b) => b[1].series - a[1].series);
  return { dates: ranked[0]?.[1].dates ?? [], conventions: ranked.map(([convention, { series }]) => ({ convention, series })) };
}

/**
 * How a series dates its periods, as the period grid reads it: a weekly series by the weekday
 * all its dates share (none when they disagree), a monthly, quarterly or yearly one by the
 * period's last day or its first.
 */
function conventionOf(frequency: Frequency, dates: string[]): string | undefined {
  if (dates.length === 0) return undefined;
  if (frequency === 'weekly') {
    const w = weekStartOf(dates);
    return w && `${w} weeks`;
  }
  const days = dates.map(dayOf);
  const grid = periodGrid(frequency, days);
  const i = grid.index(days[0]);
  const unit = frequency === 'monthly' ? 'month' : frequency === 'quarterly' ? 'quarter' : 'year';
  return grid.date(i) === grid.bounds(i)[1] ? `${unit} ends` : `${unit} starts`;
}

/**
 * The weekday every one of these dates falls on, the week start of a weekly series; undefined
 * when they disagree (or there are none), which leaves the choice to the caller.
 */
export function weekStartOf(dates: string[]): Weekday | undefined {
  let found: number | undefined;
  for (const date of dates) {
    const w = weekdayIndex(dayOf(date));
    if (found !== undefined && found !== w) return undefined;
    found = w;
  }
  return found === undefined ? undefined : weekdays[found];
}

/**
 * The day of its period a dataset dates its periods by, for reading actuals (partial-periods.ts):
 * report.periodsDatedLike when its import recorded one; else the last date of its longest series,
 * which is on the dataset's grid (a month end or start, the week's first day). That covers a
 * dataset imported before the day was recorded (a month-end history recorded none until month
 * ends counted as one place) and one whose import summed days into periods. One series is read,
 * not every one (datasetCalendar): a dataset that mixes conventions is read by its longest series.
 */
export async function periodsDatedLikeOf(store: Store, dataset: Pick<Dataset, 'id' | 'frequency' | 'report'>): Promise<string | undefined> {
  if (dataset.report.periodsDatedLike !== undefined || dataset.frequency === 'daily') return dataset.report.periodsDatedLike;
  const longest = (await store.listSkus(dataset.id, { sort: 'length', order: 'desc', limit: 1, offset: 0 })).items[0];
  const dates = longest ? (await store.getSeries(dataset.id, longest.sku))?.dates : undefined;
  return dates && dates.length > 0 ? dates[dates.length - 1] : undefined;
}
