import { randomUUID } from 'node:crypto';
import type { JobReason } from '../queue/job-state.js';
import type { EnqueueResult } from '../queue/job.js';
import type { Store } from '../stores/store.js';
import type { CsvSource } from './csv-record-stream.js';
import type { Dataset, DatasetSettings, SeriesRecord } from './dataset.js';
import { mergeSettings, settingsChange, settingsProblems } from './dataset-settings.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { readCleaningCsv } from './cleaning-csv.js';
import type { Charset } from './text-charset.js';
import { isoFromDay } from './date-parse.js';
import { planJobs } from './job-planner.js';
import { planUnmetWork } from './unmet-work.js';
import { withFreshDataset } from './with-fresh-dataset.js';
import { DatasetChangedError } from './dataset-changed-error.js';
import { periodGrid } from './period-grid.js';
import { modelHistory } from './model-history.js';
import { unforecastableSettings } from './unforecastable-settings.js';
import { beyondYear9999 } from './year-9999-bound.js';
import { applySeriesPatch, seriesDetail, type SeriesDetail, type SeriesPatch, type SeriesUpdate } from './series-editing.js';

/**
 * Changes that alter what the models see, each stored together with the jobs it re-queues in one
 * transaction: a planner's edit of one SKU (reason manual_edit_data_cleaning, priority 1), a
 * cleaning file (csv_upload_data_cleaning, priority 1) and a settings change (settings_change,
 * priority 2). New jobs supersede the pending or running ones for the same work, whose input is
 * now stale; unchanged inputs complete at once from the cached result (inputHash).
 */
export interface RequeueOutcome {
  batchId: string | null;
  jobsCreated: number;
  jobsCancelled: number;
  jobsReused: number;
  jobsSkipped: number;
}

function outcome(enqueue: EnqueueResult | null, skipped: number): RequeueOutcome {
  return {
    batchId: enqueue?.batchId ?? null,
    jobsCreated: enqueue?.jobsCreated ?? 0,
    jobsCancelled: enqueue?.jobsCancelled ?? 0,
    jobsReused: enqueue?.jobsReused ?? 0,
    jobsSkipped: skipped,
  };
}

function plan(dataset: Dataset, series: SeriesRecord[], reason: JobReason, settings = dataset.settings, models = settings.models) {
  return planJobs({ dataset: { ...dataset, settings }, series, models, method: settings.method, reason });
}

/** Whether two edit sets are the same: then the cleaned values, and every result, are too. */
export function sameEdits(a: Record<number, number>, b: Record<number, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[Number(k)] === b[Number(k)]);
}

/**
 * A planner's edit of one SKU. One that leaves its edits as they were (a reset of a period never
 * edited, a value set to what it already is, an undo with nothing to undo) changes nothing: it
 * stores nothing, queues nothing (so no snapshot comes of it) and answers `changed: false`, as an
 * actuals file that changes nothing does.
 */
export async function editSeries(store: Store, dataset: Dataset, read: SeriesRecord, patch: SeriesPatch): Promise<RequeueOutcome & { series: SeriesDetail; changed: boolean }> {
  // The patch names dates, so it applies again to the series as another edit or an append left it.
  return withFreshDataset(store, dataset, 'sku', async (now, attempt) => {
    const series = attempt === 1 ? read : await store.getSeries(now.id, read.sku);
    if (!series) throw new DatasetChangedError(now.id, 'sku');
    const update = applySeriesPatch(series, patch, now.frequency);
    if (sameEdits(update.edits, series.edits)) return { series: seriesDetail(series, now.frequency), changed: false, ...outcome(null, 0) };
    const edited: SeriesRecord = { ...series, ...update };
    const { jobs, skipped } = plan(now, [edited], 'manual_edit_data_cleaning');
    const enqueue = await store.updateSeries(now.id, [{ ...update, seen: series.updatedAt }], jobs.length > 0 ? jobs : null,
      jobs.length > 0 ? { batchId: randomUUID() } : null, now.settings);
    return { series: seriesDetail(edited, now.frequency), changed: true, ...outcome(enqueue, skipped.length) };
  });
}

/**
 * Applies a cleaning CSV: each SKU it names gets its values replaced on the dates it gives. A SKU
 * whose values the file leaves as they are is not touched (not stored, not re-queued); a file that
 * changes no SKU answers `skusTouched: 0` and queues nothing. A file with no usable row is a 400.
 */
export async function applyCleaningFile(store: Store, dataset: Dataset, source: CsvSource, charset?: Charset): Promise<RequeueOutcome & {
  skusTouched: number;
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number;
}> {
  const file = await readCleaningCsv(source, dataset.report.dayOrder ?? null, charset);
  // Matched to the series as they are at each attempt: an edit or an append that lands between the
  // read and the write makes the store refuse (SeriesChangedError), and the file applies again.
  return withFreshDataset(store, dataset, 'file', async (now) => {
    const bySku = new Map<string, typeof file.rows>();
    for (const row of file.rows) {
      const list = bySku.get(row.sku) ?? [];
      list.push(row);
      bySku.set(row.sku, list);
    }
    const missing = await store.missingSkus(now.id, [...bySku.keys()]);
    const rejected = [...file.rejected];
    let rejectedCount = file.rejectedCount;
    for (const sku of missing) {
      for (const row of bySku.get(sku)!) {
        rejectedCount++;
        rejected.push({ line: row.line, reason: `SKU '${sku}' is not in the dataset` });
      }
      bySku.delete(sku);
    }
    const seriesList = await store.getSeriesMany(now.id, [...bySku.keys()]);
    const updates: Array<SeriesUpdate & { seen: number }> = [];
    const edited: SeriesRecord[] = [];
    let matched = 0; // SKUs with a row on a period of their history, changed or not
    // Two rows on one period of one SKU (two days of one week, a date given twice with two values):
    // which one the planner meant is unknown, and the later one silently won. The file is refused,
    // naming both.
    const conflicts: Array<{ path: string; message: string }> = [];
    for (const series of seriesList) {
      const days = series.dates.map((d) => Date.parse(d) / 86_400_000);
      const grid = periodGrid(now.frequency, days);
      const indexOfPeriod = new Map(days.map((day, i) => [grid.index(day), i]));
      const edits: NonNullable<SeriesPatch['edits']> = [];
      const lineOfPeriod = new Map<number, number>();
      const valueOfPeriod = new Map<number, number>();
      const dayOfPeriod = new Map<number, number>();
      for (const row of bySku.get(series.sku)!) {
        const i = indexOfPeriod.get(grid.index(row.day));
        if (i === undefined) {
          rejectedCount++;
          rejected.push({ line: row.line, reason: `${isoFromDay(row.day)} is outside the history of '${series.sku}'` });
          continue;
        }
        const earlier = lineOfPeriod.get(i);
        // The same row again (its day and value sent twice) leaves nothing to guess; two days of one
        // week with equal values still do (which one was meant for the week is not known).
        if (earlier !== undefined && valueOfPeriod.get(i) === row.value && dayOfPeriod.get(i) === row.day) continue;
        if (earlier !== undefined) {
          conflicts.push({ path: `line ${row.line}`, message: `'${series.sku}' ${series.dates[i]} was given on line ${earlier} already (${isoFromDay(row.day)} falls in the same ${periodNoun(now.frequency)}): one value per SKU and period` });
          continue;
        }
        lineOfPeriod.set(i, row.line);
        valueOfPeriod.set(i, row.value);
        dayOfPeriod.set(i, row.day);
        edits.push({ date: series.dates[i], value: row.value });
      }
      if (edits.length === 0) continue;
      matched++;
      const update = applySeriesPatch(series, { edits }, now.frequency);
      if (sameEdits(update.edits, series.edits)) continue; // values it already has: nothing to store or re-forecast
      updates.push({ ...update, seen: series.updatedAt });
      edited.push({ ...series, ...update });
    }
    if (conflicts.length > 0) {
      conflicts.sort((a, b) => Number(a.path.slice(5)) - Number(b.path.slice(5)));
      throw new DatasetValidationError(`the cleaning file gives ${conflicts.length === 1 ? 'one period' : `${conflicts.length} periods`} of a SKU more than one value: nothing was applied (${conflicts[0].path}: ${conflicts[0].message})`, conflicts.slice(0, 20));
    }
    if (matched === 0) {
      throw new DatasetValidationError('nothing usable in the cleaning file: no row matches a SKU and period of the dataset',
        rejected.slice(0, 20).map((r) => ({ path: `line ${r.line}`, message: r.reason })));
    }
    rejected.sort((a, b) => a.line - b.line);
    if (updates.length === 0) return { skusTouched: 0, rejected: rejected.slice(0, 100), rejectedCount, ...outcome(null, 0) };
    const { jobs, skipped } = plan(now, edited, 'csv_upload_data_cleaning');
    const enqueue = await store.updateSeries(now.id, updates, jobs.length > 0 ? jobs : null, jobs.length > 0 ? { batchId: randomUUID() } : null, now.settings);
    return { skusTouched: updates.length, rejected: rejected.slice(0, 100), rejectedCount, ...outcome(enqueue, skipped.length) };
  });
}

function periodNoun(frequency: Dataset['frequency']): string {
  return { daily: 'day', weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' }[frequency] ?? 'period';
}

/** A 400 naming `horizon` when a forecast that long after the series' last date would pass 9999-12-31. */
function refuseHorizonBeyondYear9999(series: readonly SeriesRecord[], frequency: Dataset['frequency'], horizon: number): void {
  const last = beyondYear9999(series, frequency, horizon);
  if (last === null) return;
  let longest = 0; // the longest horizon that fits: the bound is monotone in the horizon
  for (let lo = 1, hi = horizon - 1; lo <= hi;) {
    const mid = Math.floor((lo + hi) / 2);
    if (beyondYear9999(series, frequency, mid) === null) {
      longest = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const message = `a forecast of ${horizon} ${frequency} periods after the dataset's last date ${last} would run past 9999-12-31, the last date a forecast can have (at most ${longest} here); nothing was changed`;
  throw new DatasetValidationError(`invalid horizon: ${message}`, [{ path: 'horizon', message }]);
}

/** Settings a PATCH may change; fillGaps is fixed at import (it shaped the stored series). */
export type SettingsPatch = Partial<Pick<DatasetSettings, 'horizon' | 'holdout' | 'models' | 'method' | 'metric' | 'intervalLevels'>>;

/**
 * A settings change. One that would leave no SKU of the dataset forecastable (a holdout longer than
 * every history allows, models none can fit) is a 400 naming the setting, with nothing stored or
 * queued (unforecastableSettings). `skusSkipped`: the SKUs the change queues no job for, too short
 * for it; they keep the forecasts they have, made with the previous settings.
 */
export async function changeSettings(store: Store, dataset: Dataset, patch: SettingsPatch): Promise<RequeueOutcome & { settings: DatasetSettings; skusSkipped: number }> {
  const details = settingsProblems(patch, '');
  if ('fillGaps' in patch) details.push({ path: 'fillGaps', message: 'is fixed at import; import the file again to change it' });
  if (details.length > 0) throw new DatasetValidationError(`invalid ${details[0].path}: ${details[0].message}`, details);
  // Planned from the dataset as read: the store refuses the write if anything of the dataset was
  // written since (an append's series, an edit, another settings change), and it is planned again.
  return withFreshDataset(store, dataset, 'settings', async (dataset) => {
    const settings = mergeSettings(dataset.settings, patch);
    const change = settingsChange(dataset.settings, settings);
    const methodChanged = settings.method !== dataset.settings.method;
    let jobs = null;
    let skipped = 0;
    let skusSkipped = 0;
    // Any forecasting setting named (runTimeoutS alone changes no result) brings the dataset's jobs to
    // its settings: every SKU x model is planned, and what a result or an open job already covers
    // for these inputs is left out (unmetWork). Queuing only the models newly enabled left those
    // already listed without jobs when none had ever run (an import with createJobs=false).
    if (Object.entries(patch).some(([name, value]) => value !== undefined && name !== 'runTimeoutS')) {
      const [series, existing] = await Promise.all([store.getSeriesMany(dataset.id), store.workInputs(dataset.id)]);
      // Settings that leave no SKU forecastable are refused before anything is written.
      if (settings.holdout !== dataset.settings.holdout || settings.models.join() !== dataset.settings.models.join()) {
        const unreachable = unforecastableSettings(series.map((s) => modelHistory(s).values.length), dataset.settings, settings);
        if (unreachable.length > 0) throw new DatasetValidationError(`invalid ${unreachable[0].path}: ${unreachable[0].message}`, unreachable);
      }
      // A longer horizon whose forecast would run past 9999-12-31 after the dataset's last date (the
      // bound an import and an append hold its dates to) is refused before anything is written.
      if (settings.horizon > dataset.settings.horizon) refuseHorizonBeyondYear9999(series, dataset.frequency, settings.horizon);
      // On a method change every open job of the dataset is cancelled below: none covers anything.
      const kept = methodChanged ? existing.filter((work) => work.status === 'completed') : existing;
      const planned = planUnmetWork(dataset, series, kept, settings, { inputsChanged: change.all, addedModels: change.addedModels }, 'settings_change');
      jobs = planned.unmet.length > 0 ? planned.unmet : null;
      skipped = planned.skipped;
      const queued = new Set(planned.planned.map((j) => j.sku));
      skusSkipped = series.filter((s) => !queued.has(s.sku)).length;
    }
    // Jobs of the old method are not superseded by the new ones (another method is other work):
    // they are stale all the same, and cancelled in the settings' transaction (a refused attempt
    // cancels nothing).
    const { enqueue, cancelled } = await store.updateSettings(dataset.id, settings, jobs, jobs ? { batchId: randomUUID() } : null,
      { seen: dataset.updatedAt, cancelOpen: methodChanged });
    const result = outcome(enqueue, skipped);
    return { settings, ...result, jobsCancelled: result.jobsCancelled + cancelled, skusSkipped };
  });
}
