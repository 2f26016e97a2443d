import { MAX_ABS_VALUE, seasonalPeriodFor } from '../forecasting/index.js';
import type { DemandClass, Frequency, ProvisionalPeriod, SeriesRecord, SkuAttributes } from './dataset.js';
import { DatasetValidationError, type ValidationDetail } from './dataset-validation-error.js';
import { classifyDemand } from './demand-class.js';
import { suggestOutliers } from './outlier-suggestions.js';
import { periodDays } from './period-days.js';
import { cleanedValues, sum } from './series-values.js';

/**
 * A planner's cleaning of one SKU. Edits are kept beside the untouched original (index -> value),
 * so any edit can be reset and "undo all" restores the import. Outliers are suggested on the
 * original values, so accepting a suggestion never hides the next one.
 */
export interface SeriesPatch {
  edits?: Array<{ date: string; value: number }>;
  reset?: string[];
  acceptOutliers?: boolean | string[];
  undoAll?: boolean;
}

export interface OutlierView {
  index: number;
  date: string;
  value: number;
  suggested: number;
  score: number;
  accepted: boolean;
}

export interface SeriesDetail {
  sku: string;
  attributes: SkuAttributes;
  dates: string[];
  original: number[];
  cleaned: number[];
  edits: Record<number, number>;
  /**
   * Periods whose value is provisional (SeriesRecord.provisional), {} when none, each with the days
   * of its period (`periodDays`: 31 for a December), so a chart can say "5 of 31 days so far".
   */
  provisional: Record<string, ProvisionalPeriod & { periodDays: number }>;
  length: number;
  volume: number;
  demandClass: DemandClass;
  outliers: OutlierView[];
}

export function outliersOf(series: Pick<SeriesRecord, 'dates' | 'original' | 'edits'>, frequency: Frequency): OutlierView[] {
  const period = seasonalPeriodFor(frequency);
  return suggestOutliers(series.original, period).map((o) => ({
    ...o,
    date: series.dates[o.index],
    accepted: series.edits[o.index] !== undefined && series.edits[o.index] === o.suggested,
  }));
}

export function seriesDetail(series: SeriesRecord, frequency: Frequency): SeriesDetail {
  return {
    sku: series.sku,
    attributes: series.attributes,
    dates: series.dates,
    original: series.original,
    cleaned: cleanedValues(series),
    edits: series.edits,
    provisional: Object.fromEntries(Object.entries(series.provisional ?? {}).map(([date, p]) => [date, { ...p, periodDays: periodDays(frequency, date) }])),
    length: series.length,
    volume: series.volume,
    demandClass: series.demandClass,
    outliers: outliersOf(series, frequency),
  };
}

export type SeriesUpdate = Pick<SeriesRecord, 'sku' | 'edits' | 'volume' | 'demandClass'>;

/** The new edits, volume and demand class after a patch; throws naming the bad field. */
export function applySeriesPatch(series: SeriesRecord, patch: SeriesPatch, frequency: Frequency): SeriesUpdate {
  const details: ValidationDetail[] = [];
  const indexOf = new Map(series.dates.map((d, i) => [d, i]));
  const at = (date: unknown, path: string): number | null => {
    const i = typeof date === 'string' ? indexOf.get(date.trim()) : undefined;
    if (i === undefined) {
      details.push({ path, message: `no period '${String(date)}' in SKU '${series.sku}' (${series.dates[0]} to ${series.dates[series.dates.length - 1]})` });
      return null;
    }
    return i;
  };
  const edits: Record<number, number> = patch.undoAll ? {} : { ...series.edits };
  (patch.reset ?? []).forEach((date, k) => {
    const i = at(date, `reset[${k}]`);
    if (i !== null) delete edits[i];
  });
  if (patch.acceptOutliers) {
    const wanted = Array.isArray(patch.acceptOutliers) ? patch.acceptOutliers : null;
    const outliers = outliersOf(series, frequency);
    const byDate = new Map(outliers.map((o) => [o.date, o]));
    if (wanted) {
      wanted.forEach((date, k) => {
        const i = at(date, `acceptOutliers[${k}]`);
        if (i === null) return;
        const o = byDate.get(series.dates[i]);
        if (!o) details.push({ path: `acceptOutliers[${k}]`, message: `${date} is not a suggested outlier` });
        else edits[o.index] = o.suggested;
      });
    } else {
      for (const o of outliers) edits[o.index] = o.suggested;
    }
  }
  (patch.edits ?? []).forEach((edit, k) => {
    const i = at(edit?.date, `edits[${k}].date`);
    const value = edit?.value;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_ABS_VALUE) {
      details.push({ path: `edits[${k}].value`, message: 'must be a number from 0 to 1e15 (the largest the models take)' });
      return;
    }
    if (i === null) return;
    if (series.original[i] === value) delete edits[i];
    else edits[i] = value;
  });
  if (details.length > 0) throw new DatasetValidationError(`invalid edit: ${details[0].path}: ${details[0].message}`, details);
  const cleaned = cleanedValues({ original: series.original, edits });
  return { sku: series.sku, edits, volume: sum(cleaned), demandClass: classifyDemand(cleaned) };
}
