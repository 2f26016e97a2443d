import { createHash } from 'node:crypto';
import { oneYearBefore, type Frequency } from '../forecasting/index.js';
import type { Dataset, ImportReport, SeriesRecord } from './dataset.js';
import { seriesDigest } from './job-planner.js';
import { modelHistory } from './model-history.js';

/**
 * The identity of everything a dataset's pooled yearly profiles are computed from
 * (SeasonalProfileSource in the worker), so a job that may borrow one can be given a reuse key
 * that names them (job-planner.ts): the frequency, the attribute column the pool groups by, the
 * cut-off `through`, and every SKU of the dataset with its group value and the digest of its model
 * history (whole periods only: modelHistory leaves the trailing provisional ones out). Every SKU,
 * not only the pool's members: which SKUs are members (two years up to the cut-off, not
 * intermittent, no negative value) is itself a function of these histories, so naming them all is
 * never too little; the price is a new key when a SKU that cannot be a member changes.
 *
 * The worker computes this digest from the very reads its profiles are made from, and the planner
 * from the series it is about to write: both through PoolDigest, so they agree exactly. Nothing
 * here is computed from the month to date, so a daily append of it leaves the digest as it was.
 * A change of how profiles are pooled (SeasonalProfileSource's rules, classifyDemand, modelHistory)
 * must raise the tag below or ENGINE_VERSION: results pooled the old way would be reused otherwise.
 */
export class PoolDigest {
  private readonly members: Array<[string, string | null, string]> = [];

  constructor(private readonly groupColumn: string | null) {}

  /** One SKU of the dataset, as its model history and attributes read. */
  add(series: Pick<SeriesRecord, 'sku' | 'dates' | 'original' | 'edits' | 'provisional'> & { attributes?: SeriesRecord['attributes'] }, history = modelHistory(series)): void {
    const group = this.groupColumn ? series.attributes?.[this.groupColumn] ?? null : null;
    this.members.push([series.sku, group, seriesDigest(history.dates, history.values)]);
  }

  digest(frequency: Frequency, through: string): string {
    const members = this.members.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const hash = createHash('sha256').update(JSON.stringify(['skucast-pool/1', frequency, this.groupColumn, through]));
    for (const m of members) hash.update(JSON.stringify(m));
    return hash.digest('hex');
  }
}

/**
 * The attribute column a dataset's profiles are pooled by: the first attribute column that is not
 * part of the SKU key (a category), or null.
 */
export function poolGroupColumn(report: Pick<ImportReport, 'mapping'>): string | null {
  const mapping = report.mapping;
  const keyColumns = new Set(mapping?.skuColumns ?? [mapping?.sku]);
  return mapping?.attributes?.find((c) => !keyColumns.has(c)) ?? null;
}

/**
 * The last whole period the profiles look back from, when the report says it without reading the
 * series: daily data have no partial period (a day is its own period), so the report's date range
 * ends on it. Undefined otherwise: the latest last date of the SKUs' model histories.
 */
export function reportedWholeEnd(dataset: { frequency: string; report: Pick<ImportReport, 'dateRange'> }): string | undefined {
  return dataset.frequency === 'daily' ? dataset.report.dateRange?.end : undefined;
}

/**
 * The pool digest of a dataset whose every series is in memory (the planner's side): `series` must
 * be all of the dataset's SKUs as they will be stored, `dataset.report` the report as it will be.
 */
export function poolDigestOf(
  dataset: Pick<Dataset, 'frequency'> & { report: Pick<ImportReport, 'mapping' | 'dateRange'> },
  series: Iterable<Pick<SeriesRecord, 'sku' | 'dates' | 'original' | 'edits' | 'provisional'> & { attributes?: SeriesRecord['attributes'] }>,
): string {
  const pool = new PoolDigest(poolGroupColumn(dataset.report));
  let last = '';
  for (const s of series) {
    const history = modelHistory(s);
    pool.add(s, history);
    const d = history.dates[history.dates.length - 1];
    if (d !== undefined && d > last) last = d;
  }
  return pool.digest(dataset.frequency, oneYearBefore(reportedWholeEnd(dataset) ?? last));
}
