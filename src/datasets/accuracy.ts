import type { Store } from '../stores/store.js';
import { attributeBy, byGroupValue } from './attribute-by.js';
import { csvField } from './csv-field.js';
import type { Dataset, Frequency, SeriesRecord } from './dataset.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import { periodDays } from './period-days.js';
import { periodGrid } from './period-grid.js';
import type { ActualsRecord, Snapshot, SnapshotItemRow } from './planning-cycle-store.js';
import { decodeSnapshotValues } from './snapshot-values.js';
import { snapshotItemsOf } from './snapshot-items.js';
import { startsLabel } from './starts-label.js';
import { isNumericCsvColumn } from './csv-dialect.js';

/**
 * Forecast vs actual: a snapshot's forecasts against the actuals that arrived after it (the
 * current history's original values on the snapshot's forecast dates: what happened, not the
 * planner's cleaned values). Per SKU, per horizon step and in total:
 *   MAE  = sum|a - f| / n,   WAPE = 100 * sum|a - f| / sum|a|,   bias = 100 * sum(f - a) / sum|a|
 *   (positive bias: over-forecast), coverage80/95 = share of actuals inside the 80%/95% band.
 * Which snapshot is scored by default: accuracy-snapshot.ts.
 */
export interface AccuracyFigures {
  wape: number | null;
  bias: number | null;
  mae: number | null;
  points: number;
  coverage80: number | null;
  coverage95: number | null;
}

export interface AccuracyItem extends AccuracyFigures {
  sku: string;
  model: string | null;
  /** sum |actual - forecast|: what this SKU contributes to the portfolio's miss. */
  absError: number;
}

export interface AccuracyPoint {
  sku: string;
  model: string | null;
  step: number;
  /** The forecast's date, as the snapshot has it. */
  date: string;
  /**
   * The first day of the period (ISO), whatever day the forecast or the actual is dated by (a
   * forecast of 2025-04-15, an actual of 2025-04-01 or of 2025-04-30): what sums across SKUs key on.
   */
  period: string;
  forecast: number;
  actual: number;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
}

/**
 * The forecast of a sum against the sum of the actuals, date by date: a store's total, where one
 * SKU's miss offsets another's. WAPE = 100 * sum_t |A_t - F_t| / sum_t |A_t| and bias likewise,
 * with A_t and F_t summed over the SKUs that have an actual on date t (a SKU without one yet is
 * left out of both sides); `points`: the dates.
 */
export interface SummedFigures {
  wape: number | null;
  bias: number | null;
  points: number;
}

/** One value of `by` (store North): its SKUs' points pooled, and its summed forecast against its summed actuals. */
export interface AccuracyGroup extends AccuracyFigures {
  /** Null: the SKUs without this attribute. */
  value: string | null;
  /** SKUs with at least one point. */
  skus: number;
  summed: SummedFigures;
}

/**
 * A period the snapshot forecast whose actual is provisional yet (December 1 to 5 of a monthly
 * dataset): not scored until a file covers it whole. `period`: its first day; `from`, `to`: the
 * earliest and latest day its SKUs' values cover; `periodDays`: the days of the whole period;
 * `skus`: how many SKUs have only days to date there.
 */
export interface ProvisionalActual {
  period: string;
  from: string;
  to: string;
  periodDays: number;
  skus: number;
}

/** The periods to date accuracyPoints passes over, gathered over the SKUs (`only`: that SKU's, for `?sku=`). */
export class ProvisionalTally {
  private readonly byPeriod = new Map<string, ProvisionalActual>();

  constructor(private readonly only?: string) {}

  add(sku: string, period: string, from: string, to: string, days: number): void {
    if (this.only !== undefined && sku !== this.only) return;
    const at = this.byPeriod.get(period);
    if (!at) this.byPeriod.set(period, { period, from, to, periodDays: days, skus: 1 });
    else {
      at.skus++;
      if (from < at.from) at.from = from;
      if (to > at.to) at.to = to;
    }
  }

  list(): ProvisionalActual[] {
    return [...this.byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
  }
}

export interface AccuracyReport {
  snapshot: Snapshot;
  /**
   * Periods this snapshot forecast whose actuals are still to date (provisional), so not scored:
   * why a snapshot whose only new actuals are the month to date has no points.
   */
  provisional: ProvisionalActual[];
  /**
   * Where the snapshot's SKUs' forecasts start, after its historyEnd: per first period, how many
   * SKUs (earliest first). Its `forecastStart` is the earliest, which a SKU the files left out
   * holds back: "from Jan 1" read as every SKU's start while 48 of 49 forecast from February.
   */
  starts: Array<{ period: string; skus: number }>;
  /** `starts` as the snapshot is named by (startsLabel): "2026-02-01 (1 SKU from 2026-01-01)"; forecastStart for one start. */
  startsLabel: string | null;
  actuals: ActualsRecord | null;
  portfolio: AccuracyFigures;
  /** The dataset's summed forecast against its summed actuals. */
  summed: SummedFigures;
  /** The attribute of `groups` (`?by=`), or null. */
  by: string | null;
  /** The attributes the SKUs have, for a picker. */
  attributes: string[];
  /** Per value of `by`, in value order (the SKUs without it last); empty without `by`. */
  groups: AccuracyGroup[];
  byStep: Array<AccuracyFigures & { step: number }>;
  total: number; // SKUs with at least one point
  items: AccuracyItem[]; // biggest miss first
}

class Tally {
  abs = 0;
  err = 0;
  act = 0;
  n = 0;
  in80 = 0;
  n80 = 0;
  in95 = 0;
  n95 = 0;

  add(p: AccuracyPoint): void {
    this.abs += Math.abs(p.actual - p.forecast);
    this.err += p.forecast - p.actual;
    this.act += Math.abs(p.actual);
    this.n++;
    // A bound the snapshot did not have (null, or NaN for one step) is no band: not counted as a miss.
    if (Number.isFinite(p.lower80) && Number.isFinite(p.upper80)) {
      this.n80++;
      if (p.actual >= p.lower80! && p.actual <= p.upper80!) this.in80++;
    }
    if (Number.isFinite(p.lower95) && Number.isFinite(p.upper95)) {
      this.n95++;
      if (p.actual >= p.lower95! && p.actual <= p.upper95!) this.in95++;
    }
  }

  figures(): AccuracyFigures {
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      wape: this.act > 0 ? round((100 * this.abs) / this.act) : null,
      bias: this.act > 0 ? round((100 * this.err) / this.act) : null,
      mae: this.n > 0 ? round(this.abs / this.n) : null,
      points: this.n,
      coverage80: this.n80 > 0 ? round((100 * this.in80) / this.n80) : null,
      coverage95: this.n95 > 0 ? round((100 * this.in95) / this.n95) : null,
    };
  }
}

class SumTally {
  private readonly byDate = new Map<string, { forecast: number; actual: number }>();

  add(p: AccuracyPoint): void {
    const at = this.byDate.get(p.period);
    if (at) {
      at.forecast += p.forecast;
      at.actual += p.actual;
    } else this.byDate.set(p.period, { forecast: p.forecast, actual: p.actual });
  }

  figures(): SummedFigures {
    let abs = 0;
    let err = 0;
    let act = 0;
    for (const { forecast, actual } of this.byDate.values()) {
      abs += Math.abs(actual - forecast);
      err += forecast - actual;
      act += Math.abs(actual);
    }
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return { wape: act > 0 ? round((100 * abs) / act) : null, bias: act > 0 ? round((100 * err) / act) : null, points: this.byDate.size };
  }
}

const dayOf = dayFromIso;

/**
 * The points of one SKU: each forecast step whose period the history now has. Matched by period on
 * the dataset's calendar, not by date text: a mid-month file's forecast says 2025-04-15 where the
 * appended actual of that month may be dated 2025-04-01 (actuals-merge.ts). A provisional period
 * (its value the sum of part of it, the month to date) has no actual yet: it would count as a miss
 * of the days it lacks.
 *
 * Only periods after the snapshot's history end (`historyEnd`, its last whole period) count: a SKU
 * that stopped selling in June keeps a forecast from July in a dataset running to September, and
 * the zeros later filled in for it would score a forecast of months the snapshot already had
 * actuals for (snapshot #1: 7% on 45 points became 30.3% on 82, step 3 at 55,500%). Compared by
 * period on the same grid, so a month-end history end and forecasts dated the 1st agree. A
 * snapshot without one (null) counts every period, as before it was kept.
 */
export function accuracyPoints(
  row: SnapshotItemRow, history: Pick<SeriesRecord, 'dates' | 'original' | 'provisional'> | undefined, frequency: Frequency, historyEnd: string | null = null,
  provisional?: ProvisionalTally, starts?: Map<string, number>,
): AccuracyPoint[] {
  if (!history || row.dates.length === 0 || history.dates.length === 0) return [];
  const v = decodeSnapshotValues(row.values);
  const grid = periodGrid(frequency, history.dates.map(dayOf));
  const at = new Map(history.dates.map((d, i) => [grid.index(dayOf(d)), i]));
  const after = historyEnd === null ? -Infinity : grid.index(dayOf(historyEnd));
  const points: AccuracyPoint[] = [];
  let started = false;
  row.dates.forEach((date, k) => {
    const p = grid.index(dayOf(date));
    if (p <= after) return;
    if (!started && starts) {
      const period = isoFromDay(grid.bounds(p)[0]);
      starts.set(period, (starts.get(period) ?? 0) + 1);
    }
    started = true;
    const i = at.get(p);
    if (i === undefined) return;
    const toDate = history.provisional?.[history.dates[i]];
    if (toDate) {
      provisional?.add(row.sku, isoFromDay(grid.bounds(p)[0]), toDate.from, toDate.to, periodDays(frequency, history.dates[i]));
      return;
    }
    points.push({
      sku: row.sku, model: row.modelId, step: k + 1, date, period: isoFromDay(grid.bounds(p)[0]), forecast: v.mean[k], actual: history.original[i],
      lower80: v.lower80?.[k] ?? null, upper80: v.upper80?.[k] ?? null, lower95: v.lower95?.[k] ?? null, upper95: v.upper95?.[k] ?? null,
    });
  });
  return points;
}

const PAGE = 500;

/** Every point of the snapshot that has an actual now, page by page of SKUs. */
export async function* accuracyPages(store: Store, dataset: Dataset, snapshot: Snapshot, provisional?: ProvisionalTally, starts?: Map<string, number>): AsyncGenerator<AccuracyPoint[][]> {
  const rows = await snapshotItemsOf(store, snapshot);
  for (let i = 0; i < rows.length; i += PAGE) {
    const page = rows.slice(i, i + PAGE);
    const series = new Map((await store.getSeriesMany(dataset.id, page.map((r) => r.sku))).map((s) => [s.sku, s]));
    yield page.map((row) => accuracyPoints(row, series.get(row.sku), dataset.frequency, snapshot.historyEnd ?? null, provisional, starts));
  }
}

export async function forecastAccuracy(
  store: Store, dataset: Dataset, snapshot: Snapshot, actuals: ActualsRecord | null, query: { limit: number; offset: number; sku?: string; by?: string },
): Promise<AccuracyReport> {
  const { by, attributes, attributesBySku } = await attributeBy(store, dataset.id, query.by, 'the figures without groups');
  const total = new Tally();
  const summed = new SumTally();
  const steps: Tally[] = [];
  const items: AccuracyItem[] = [];
  const groups = new Map<string | null, { tally: Tally; summed: SumTally; skus: number }>();
  // Every value listed, a store whose actuals have not come yet with no points, rather than left
  // out; with `sku`, that SKU's group alone.
  if (by !== null) {
    const fresh = () => ({ tally: new Tally(), summed: new SumTally(), skus: 0 });
    if (query.sku !== undefined) groups.set(attributesBySku[query.sku]?.[by] ?? null, fresh());
    else {
      for (const a of Object.values(attributesBySku)) {
        const value = a[by];
        if (value !== undefined && !groups.has(value)) groups.set(value, fresh());
      }
    }
  }
  const provisional = new ProvisionalTally(query.sku);
  // Over every SKU of the snapshot, `sku` or not: they describe the snapshot.
  const starts = new Map<string, number>();
  for await (const page of accuracyPages(store, dataset, snapshot, provisional, starts)) {
    for (const points of page) {
      if (points.length === 0) continue;
      if (query.sku !== undefined && points[0].sku !== query.sku) continue;
      const mine = new Tally();
      let group: { tally: Tally; summed: SumTally; skus: number } | undefined;
      if (by !== null) {
        const value = attributesBySku[points[0].sku]?.[by] ?? null;
        group = groups.get(value);
        if (!group) groups.set(value, (group = { tally: new Tally(), summed: new SumTally(), skus: 0 }));
        group.skus++;
      }
      for (const p of points) {
        total.add(p);
        summed.add(p);
        mine.add(p);
        (steps[p.step - 1] ??= new Tally()).add(p);
        group?.tally.add(p);
        group?.summed.add(p);
      }
      items.push({ sku: points[0].sku, model: points[0].model, absError: mine.abs, ...mine.figures() });
    }
  }
  items.sort((a, b) => b.absError - a.absError || (a.sku < b.sku ? -1 : 1));
  const startList = [...starts].map(([period, skus]) => ({ period, skus })).sort((a, b) => (a.period < b.period ? -1 : 1));
  return {
    snapshot,
    provisional: provisional.list(),
    starts: startList,
    startsLabel: startsLabel(startList, snapshot.forecastStart ?? null),
    actuals,
    portfolio: total.figures(),
    summed: summed.figures(),
    by,
    attributes,
    groups: [...groups].map(([value, g]) => ({ value, skus: g.skus, ...g.tally.figures(), summed: g.summed.figures() })).sort(byGroupValue),
    // Array.from, not map: a step no SKU has an actual for yet is a hole in `steps` that map would keep (null in JSON).
    byStep: Array.from(steps, (t, k) => ({ step: k + 1, ...(t ?? new Tally()).figures() })),
    total: items.length,
    items: items.slice(query.offset, query.offset + query.limit),
  };
}

const accuracyColumns = ['sku', 'model', 'step', 'date', 'forecast', 'actual', 'error', 'lo80', 'hi80', 'lo95', 'hi95'];

/**
 * accuracy.csv: one row per SKU and horizon step with an actual. With `by` (an attribute the
 * caller checked with attributeBy), a column named after it right after `sku` holds each SKU's
 * value (empty for a SKU without one), so the file can be pivoted as "How did we do" groups it.
 */
/**
 * The header of accuracy.csv's attribute column. An attribute named like a column of the file (a
 * `model` column marked at import) is prefixed, so no two columns share a header; so is one named
 * like a numeric column of any export (`bias`, `mae`, ...), whose values a decimal-comma export
 * would otherwise rewrite (csv-dialect.ts reads numeric columns by header).
 */
export function accuracyByHeader(name: string): string {
  const lower = name.toLowerCase();
  return accuracyColumns.includes(lower) || isNumericCsvColumn(lower) ? `by_${name}` : name;
}

export async function* accuracyCsv(store: Store, dataset: Dataset, snapshot: Snapshot, by?: { name: string; bySku: Record<string, Record<string, string>> }): AsyncGenerator<string> {
  const byHeader = by ? accuracyByHeader(by.name) : undefined;
  yield `sku,${byHeader !== undefined ? `${csvField(byHeader)},` : ''}${accuracyColumns.slice(1).join(',')}\n`;
  for await (const page of accuracyPages(store, dataset, snapshot)) {
    let chunk = '';
    for (const points of page) {
      for (const p of points) {
        const attribute = by ? [by.bySku[p.sku]?.[by.name] ?? null] : [];
        chunk += [p.sku, ...attribute, p.model, p.step, p.date, p.forecast, p.actual, p.forecast - p.actual, p.lower80, p.upper80, p.lower95, p.upper95].map(csvField).join(',') + '\n';
      }
    }
    yield chunk;
  }
}
