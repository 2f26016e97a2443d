import { randomUUID } from 'node:crypto';
import type { Store } from '../stores/store.js';
import { ActualsCheckStaleError } from './actuals-check-stale-error.js';
import { ActualsConflictError } from './actuals-conflict-error.js';
import { absentSkusWarning, endedInFileWarning, heldBackWarning, noSkuOfTheDataset, rejectedUnfilledWarning, revisedHistoryWarning, type AbsentSkus } from './actuals-warnings.js';
import { withFreshDataset } from './with-fresh-dataset.js';
import { filledGapsWarning, mergeActuals, type MergedSeries, type PartialValue } from './actuals-merge.js';
import { datasetCalendar, periodsDatedLikeOf, weekStartOf, type DatasetCalendar } from './dataset-calendar.js';
import { dayFromIso, isoFromDay } from './date-parse.js';
import { datasetMapping } from './actuals-dataset-mapping.js';
import type { CsvSource } from './csv-record-stream.js';
import type { Dataset, ImportReport, NewSeries, SeriesRecord } from './dataset.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { refuseBeyondModels } from './models-bound.js';
import { refuseBeyondYear9999 } from './year-9999-bound.js';
import { importCsv, type CsvImportOptions } from './import-dataset.js';
import { ambiguousZerosWarning, hasDigitPart, leadingZerosWarning, matchLeadingZeros, renameSeries } from './leading-zeros.js';
import { planJobs } from './job-planner.js';
import { periodGrid, type Weekday } from './period-grid.js';
import { partialPeriodsOn, partialPeriodsWarning, partialValuesWarning, skippedProvisionalWarning } from './partial-periods.js';
import type { ActualsRecord, ActualsRevision } from './planning-cycle-store.js';
import type { AccumulatedDataset } from './series-accumulator.js';
import { rejectedFor, rejectedOf, renameRejected } from './actuals-rejected.js';
import { revisedSummary, type RevisedSummary } from './actuals-revised.js';
import { emptySeries, writtenPeriods } from './actuals-written.js';
import { takeSnapshot } from './snapshots.js';
import { sharedStoredSpans, valuesOf } from './actuals-partial-spans.js';
import { actualsHints, type SkuLike } from './actuals-hints.js';

/**
 * New actuals for an existing dataset: the verb `appendActuals`. The file is read exactly as an
 * import reads it (importCsv: any form, mapping and options; the dataset's own mapping and
 * frequency by default), then merged SKU by SKU (actuals-merge.ts): new periods appended,
 * changed values overwritten with the previous value kept in the audit, new SKUs added. Only SKUs
 * whose history changed get jobs (reason actuals_append), superseding their pending ones; a
 * file that changes nothing stores nothing and queues nothing.
 *
 * Before anything changes, the forecasts shown until now are snapshotted (when they are final
 * and not yet kept), so "how did we do" always has the forecast these actuals answer.
 *
 * A period the file covers only in part (report.partialPeriods) never replaces a complete value:
 * it fills a period with no value, marked provisional until a file covers it whole (actuals-merge.ts).
 */
export interface ActualsOutcome {
  report: ImportReport;
  actuals: ActualsRecord | null; // null when nothing changed
  skusChanged: number;
  skusAdded: number;
  periodsAdded: number;
  valuesRevised: number;
  revisions: ActualsRevision[]; // the first 100
  /**
   * The periods the file covers in part, SKU by SKU: values written as provisional and stored
   * values kept (a partial value never replaces a complete one), and the provisional values a
   * whole period's value replaced.
   */
  partial: { provisional: number; kept: number; settled: number; values: PartialValue[] /* the first 100, kept first */ };
  batchId: string | null;
  jobsCreated: number;
  jobsReused: number;
  jobsCancelled: number;
  jobsSkipped: number;
  columns: string[];
  /** The SKUs added, sorted (the first 100): a mistyped code (A-1O02) is named before it is applied. */
  newSkus: string[];
  /** Of the first 20 new SKUs, those that look like one of the dataset's SKUs (A-1O02 like A-1002; sku-lookalike.ts), in newSkus' order. */
  newSkusLike: SkuLike[];
  /** The dataset's SKUs the file has no line for (the first 100, sorted), and how many got 0 (absentSkus=zero). */
  absent: { count: number; skus: string[]; zeroed: number };
  /** The dataset's SKUs whose every line in the file was rejected, each with its first such line (the first 100): not absent, never given 0. */
  rejectedSkus: { count: number; skus: Array<{ sku: string; line: number }> };
  /**
   * The values revised, over all of them (revisions lists the first 100): how many SKUs, the
   * earliest period, how many periods before the dataset's last it is, and whether that is what a
   * wrong file does (`onlyHistory`: no SKU of the dataset got a period from the file's lines after its stored
   * last one, whatever new SKUs, gaps filled with 0 or absentSkus=zero's 0s added; `old`: further back than recentPeriods).
   */
  revised: RevisedSummary;
  /** A check (dryRun): the same outcome, nothing written (no snapshot, jobs, audit or actuals record). */
  dryRun: boolean;
  /**
   * A check's: the dataset's updatedAt it was merged with, sent back as `basedOn` to tie the append to
   * it. An append that wrote: the updatedAt its write gave the dataset; one that changed nothing: the one it merged with.
   */
  datasetUpdatedAt: number;
}

export { absentSkusChoices, absentSkusWarning, endedInFileWarning, type AbsentSkus } from './actuals-warnings.js';

export interface ActualsOptions extends CsvImportOptions {
  absentSkus?: AbsentSkus;
  /** A check: the outcome as the append would be, nothing written (ImportOptions.dryRun). */
  dryRun?: boolean;
  /** The check's datasetUpdatedAt: the append is refused (ActualsCheckStaleError, nothing stored) when the dataset changed since (an append, an edit, settings). */
  basedOn?: number;
}

export async function appendActuals(store: Store, dataset: Dataset, source: CsvSource, options: ActualsOptions = {}): Promise<ActualsOutcome> {
  if (options.frequency && options.frequency !== dataset.frequency) {
    throw new DatasetValidationError(`invalid frequency: the dataset is ${dataset.frequency}`, [
      { path: 'frequency', message: `actuals must be ${dataset.frequency} like the dataset, not ${options.frequency}` },
    ]);
  }
  // Finer actuals are summed into the dataset's own weeks: a daily file for a dataset of Sunday
  // weeks cut into ISO Monday weeks would revise each week with parts of two. A dataset imported
  // before report.weekStart was kept has its weeks in its series' dates, the calendar new SKUs
  // are dated on.
  // Read once, and only when needed: it reads every series.
  let calendar: Promise<DatasetCalendar> | undefined;
  const calendarOf = () => (calendar ??= datasetCalendar(store, dataset));
  const weekStart = dataset.report.weekStart as Weekday | undefined
    ?? (dataset.frequency === 'weekly' ? weekStartOf((await calendarOf()).dates) : undefined);
  if (options.weekStart && weekStart && options.weekStart !== weekStart) {
    throw new DatasetValidationError(`invalid weekStart: the dataset's weeks start on ${weekStart}`, [
      { path: 'weekStart', message: `actuals are summed into the dataset's weeks, which start on ${weekStart}, not ${options.weekStart}` },
    ]);
  }
  const dryRun = options.dryRun === true;
  // Sent with its check's datasetUpdatedAt: refused before anything is written if the dataset changed since.
  if (!dryRun && options.basedOn !== undefined && dataset.updatedAt !== options.basedOn) throw new ActualsCheckStaleError(dataset.id, options.basedOn, dataset.updatedAt);
  // A check takes no snapshot: it writes nothing at all.
  if (!dryRun) await takeSnapshot(store, dataset.id);
  const read = {
    ...options,
    // The dataset's columns where the file has them: a wide file for a long dataset, or a long
    // one for a wide dataset, is read all the same.
    preferredMapping: options.mapping ? undefined : datasetMapping(dataset),
    frequency: dataset.frequency,
    weekStart: weekStart ?? options.weekStart,
    // Dates the file cannot settle are read as the dataset's were: a lone 04/01/2024 for a
    // month-first dataset is April, not a revision of January.
    dayOrder: dataset.report.dayOrder ?? 'unrecorded' as const,
    // Only the periods the file has: a period it leaves out must not overwrite history with zero.
    settings: { fillGaps: 'report' as const },
    // A period the file has replaces the stored one: one it covers in part, anywhere, is named.
    partialInside: true,
    // A file of one date on the day of its period the history's dates fell on is that whole period
    // (in a file with days of a later period it is a day: partial-periods.ts, readPeriods).
    periodsDatedLike: await periodsDatedLikeOf(store, dataset),
    // A SKU the dataset has is never dropped as a pivot table's total: a brand named Total, kept
    // at import, comes last in a month's file sorted by SKU. Only the file's SKUs named like a
    // total are looked up.
    knownSkus: async (skus: string[]) => {
      const missing = new Set(await store.missingSkus(dataset.id, skus));
      return skus.filter((sku) => !missing.has(sku));
    },
    createJobs: true,
    dryRun,
  };
  const { absentSkus = 'keep', basedOn } = options;
  // A check writes nothing, so nothing can collide: merged once, with the dataset as read.
  return importCsv(store, source, read, (s, accumulated) => (dryRun
    ? storeActuals(s, dataset, accumulated, calendarOf, absentSkus, true)
    : storeActualsAgain(s, dataset, accumulated, calendarOf, absentSkus, basedOn)));
}

/**
 * The merge reads each series, then the store writes it whole: a series written in between (a
 * planner's edit, another append) makes the store refuse (SeriesChangedError), and the file's
 * series are merged again with what is there now; a settings change that landed since the merge
 * read the dataset (DatasetChangedError) has its jobs planned again with the settings there are
 * now. Uploads that keep changing the same SKU end as ActualsConflictError naming it (409 naming
 * `file`), not kept waiting.
 */
function storeActualsAgain(store: Store, dataset: Dataset, read: AccumulatedDataset, calendarOf: () => Promise<DatasetCalendar>, absentSkus: AbsentSkus, basedOn: number | undefined): Promise<Omit<ActualsOutcome, 'columns'>> {
  return withFreshDataset(store, dataset, 'file', (now) => {
    // Each merge, the first and those after a refusal: the dataset it merges with is the one checked; the store
    // checks it again in the write (datasetSeen), which a write during the read and merge fails (not merged again).
    if (basedOn !== undefined && now.updatedAt !== basedOn) throw new ActualsCheckStaleError(now.id, basedOn, now.updatedAt);
    return storeActuals(store, now, read, calendarOf, absentSkus, false, basedOn);
  }, {
    seriesConflict: (sku, attempts) => new ActualsConflictError(dataset.id, sku, attempts),
  });
}

async function storeActuals(store: Store, dataset: Dataset, read: AccumulatedDataset, calendarOf: () => Promise<DatasetCalendar>, absentSkus: AbsentSkus, dryRun = false, basedOn?: number): Promise<Omit<ActualsOutcome, 'columns'>> {
  const report: ImportReport = { ...read.report, gaps: [], tooShort: [], warnings: read.report.warnings.filter((w) => !/fillGaps: report/.test(w)) };
  if (read.series.length === 0) {
    const reasons = report.rejected.slice(0, 20).map((r) => ({ path: `line ${r.line}`, message: r.reason }));
    throw new DatasetValidationError(
      report.rows === 0 ? 'nothing usable: the file has a header but no rows' : `nothing usable: ${report.rows === 1 ? 'the one row was' : `all ${report.rows} rows were`} rejected`,
      reasons.length > 0 ? reasons : [{ path: 'file', message: 'no rows' }],
      report,
    );
  }
  let fileSeries = read.series;
  const existing = new Map((await store.getSeriesMany(dataset.id, fileSeries.map((s) => s.sku))).map((s) => [s.sku, s]));
  let datasetSkus: Promise<string[]> | undefined; // Read once, and only when needed: every SKU of the dataset.
  const datasetSkusOf = () => (datasetSkus ??= store.skuAttributes(dataset.id).then((a) => Object.keys(a)));
  // Codes that lost their leading zeros (a file saved by Excel) are the dataset's SKUs, not new ones:
  // the accepted lines' codes and those of SKUs whose every line was rejected ('1002' with a
  // mistyped date is the dataset's 001002, not absent from the file).
  let rejected = rejectedOf(read);
  const inFileCodes = new Set(fileSeries.map((s) => s.sku));
  const rejectedCodes = [...rejected.lines.keys()].filter((sku) => !inFileCodes.has(sku) && !existing.has(sku) && hasDigitPart(sku));
  const missing = [
    ...fileSeries.filter((s) => !existing.has(s.sku)).map((s) => s.sku),
    ...(rejectedCodes.length > 0 ? await store.missingSkus(dataset.id, rejectedCodes) : []),
  ];
  if (missing.some(hasDigitPart)) {
    const match = matchLeadingZeros(missing, await datasetSkusOf());
    if (match.readAs.size > 0) {
      const renamed = renameSeries(fileSeries, match.readAs);
      fileSeries = renamed.series;
      rejected = renameRejected(rejected, match.readAs);
      const inFile = new Set(fileSeries.map((s) => s.sku));
      const targets = [...new Set(match.readAs.values())].filter((sku) => !existing.has(sku) && inFile.has(sku));
      for (const had of await store.getSeriesMany(dataset.id, targets)) existing.set(had.sku, had);
      report.warnings = [...report.warnings, leadingZerosWarning(match.readAs, renamed.joined)];
    }
    if (match.ambiguous.length > 0) report.warnings = [...report.warnings, ambiguousZerosWarning(match.ambiguous)];
  }
  // A file of SKUs the dataset has none of (another dataset's file, a key column read wrong) would
  // zero every SKU of the dataset: refused, nothing written.
  if (absentSkus === 'zero' && existing.size === 0 && dataset.skuCount > 0) throw noSkuOfTheDataset(fileSeries.map((s) => s.sku), report);
  // A SKU of the file whose lines stop before the file's last period: an export that omits zero
  // rows says the same of its later periods as of a SKU with no line at all. With absentSkus=zero
  // it gets 0 for them, as an absent SKU does; kept, it is named, its forecast starting early.
  const fileDates = [...new Set(fileSeries.flatMap((s) => s.dates))].sort();
  const endedEarly: Array<{ sku: string; last: string; periods: number }> = [];
  const guessed = new Map<string, Set<string>>(); // the 0s given to a SKU whose lines stop early
  // A SKU with rejected lines is never given 0 for a guess: a rejected line may hold a sale.
  const rejectedLine = rejected.lines;
  const heldBack: Array<{ sku: string; line: number }> = [];
  fileSeries = fileSeries.map((s) => {
    const later = s.dates.length > 0 ? fileDates.filter((date) => date > s.dates[s.dates.length - 1]) : [];
    if (later.length === 0) return s;
    if (absentSkus === 'zero' && rejectedLine.has(s.sku)) {
      heldBack.push({ sku: s.sku, line: rejectedLine.get(s.sku)! });
      return s;
    }
    if (absentSkus !== 'zero') {
      endedEarly.push({ sku: s.sku, last: s.dates[s.dates.length - 1], periods: later.length });
      return s;
    }
    // After its stored last period only, as for an absent SKU: a value it has is never written over with a guess.
    const had = existing.get(s.sku);
    const own = had && had.dates.length > 0 ? periodGrid(dataset.frequency, had.dates.map(dayFromIso)) : null;
    const end = own ? own.index(dayFromIso(had!.dates[had!.dates.length - 1])) : -Infinity;
    const zeros = own ? later.filter((date) => own.index(dayFromIso(date)) > end) : later;
    if (zeros.length === 0) return s;
    endedEarly.push({ sku: s.sku, last: s.dates[s.dates.length - 1], periods: zeros.length });
    guessed.set(s.sku, new Set(zeros));
    return { ...s, dates: [...s.dates, ...zeros], original: [...s.original, ...zeros.map(() => 0)] };
  });
  if (endedEarly.length > 0) report.warnings = [...report.warnings, endedInFileWarning(endedEarly, absentSkus)];
  const updated: NewSeries[] = [];
  const added: NewSeries[] = [];
  const revisions: ActualsRevision[] = [];
  const partialValues: PartialValue[] = [];
  const skipped: MergedSeries['skipped'] = [];
  const filled: Array<{ sku: string; dates: string[] }> = [];
  // Periods fillGaps 'zero' left without a value: the file had a rejected line for them.
  const unfilled: Array<{ sku: string; dates: string[] }> = [];
  const fileSpan = fileDates.length > 0 ? { from: fileDates[0], to: fileDates[fileDates.length - 1] } : undefined;
  let periodsAdded = 0;
  // Periods the dataset's SKUs got from the file's lines after their stored last one (not a new SKU's,
  // a gap's before it, nor absentSkus=zero's guessed 0s): none, and the file only rewrites history (revised.onlyHistory).
  let periodsAfterEnd = 0;
  let settled = 0;
  let partial = report.partialPeriods ?? [];
  // Named on the dataset's calendar, as the merge stores the period (month ends stay month ends).
  const grid = partial.length > 0 ? periodGrid(dataset.frequency, (await calendarOf()).dates.map(dayFromIso)) : null;
  if (grid) partial = partialPeriodsOn(grid, partial);
  const sharedSpans = grid ? sharedStoredSpans(grid, partial, existing.values()) : undefined;
  const revise = (had: SeriesRecord, incoming: Pick<NewSeries, 'dates' | 'original'>, fromFile = incoming.dates) => {
    const merged = mergeActuals(had, incoming, dataset.frequency, dataset.settings.fillGaps, { partial, spacing: read.spacing, sharedSpans, rejected: rejectedFor(rejected, had.sku, fileSpan) });
    partialValues.push(...merged.partialValues);
    skipped.push(...merged.skipped);
    if (merged.unfilled.length > 0) unfilled.push({ sku: had.sku, dates: merged.unfilled });
    if (!merged.changed) return;
    const own = had.dates.length > 0 ? periodGrid(dataset.frequency, had.dates.map(dayFromIso)) : null;
    const end = own ? own.index(dayFromIso(had.dates[had.dates.length - 1])) : -Infinity;
    periodsAfterEnd += own ? fromFile.filter((d) => own.index(dayFromIso(d)) > end).length : fromFile.length;
    if (merged.filled.length > 0) filled.push({ sku: had.sku, dates: merged.filled });
    updated.push(merged.series);
    revisions.push(...merged.revisions);
    periodsAdded += merged.periodsAdded;
    settled += merged.settled;
  };
  for (const incoming of fileSeries) {
    const had = existing.get(incoming.sku);
    if (!had) {
      // The dataset's convention, not that of the series this file happens to revise: a dataset
      // already mixed would date new SKUs differently from one file to the next.
      const merged = mergeActuals(emptySeries(dataset.id, incoming.sku), incoming, dataset.frequency, dataset.settings.fillGaps, { calendar: (await calendarOf()).dates, partial, spacing: read.spacing, sharedSpans, rejected: rejectedFor(rejected, incoming.sku, fileSpan) });
      if (merged.unfilled.length > 0) unfilled.push({ sku: incoming.sku, dates: merged.unfilled });
      added.push({ ...merged.series, attributes: incoming.attributes ?? {} });
      if (merged.filled.length > 0) filled.push({ sku: incoming.sku, dates: merged.filled });
      periodsAdded += merged.series.length;
      settled += merged.settled;
      partialValues.push(...merged.partialValues);
      continue;
    }
    revise(had, incoming, incoming.dates.filter((d) => !guessed.get(incoming.sku)?.has(d)));
  }
  // Only the count first: the names are read when some SKU is absent.
  let absent: string[] = [];
  let zeroed = 0;
  const rejectedOnly: Array<{ sku: string; line: number }> = [];
  if (existing.size < dataset.skuCount) {
    const inFile = new Set(fileSeries.map((s) => s.sku));
    // A SKU whose lines were all rejected is in the file: named as such, neither absent nor given 0.
    absent = (await datasetSkusOf()).filter((sku) => {
      if (inFile.has(sku)) return false;
      const line = rejectedLine.get(sku);
      if (line !== undefined) rejectedOnly.push({ sku, line });
      return line === undefined;
    }).sort();
    rejectedOnly.sort((a, b) => a.line - b.line);
    if (absent.length > 0 && absentSkus === 'zero') {
      const fileDays = [...new Set(fileSeries.flatMap((s) => s.dates))].map(dayFromIso).sort((a, b) => a - b);
      for (const had of await store.getSeriesMany(dataset.id, absent)) {
        existing.set(had.sku, had);
        // After its own last period only: a value it has is never written over with a guess.
        const own = periodGrid(dataset.frequency, had.dates.map(dayFromIso));
        const end = had.dates.length > 0 ? own.index(dayFromIso(had.dates[had.dates.length - 1])) : -Infinity;
        const days = fileDays.filter((day) => own.index(day) > end);
        if (days.length === 0) continue;
        const before = updated.length;
        revise(had, { dates: days.map(isoFromDay), original: days.map(() => 0) }, []);
        zeroed += updated.length - before;
      }
    }
    if (absent.length > 0) report.warnings = [...report.warnings, absentSkusWarning(absent, absentSkus, zeroed)];
  }
  report.warnings = [...report.warnings, ...heldBackWarning(rejectedOnly, heldBack, absentSkus)];
  if (grid) {
    // The warning says what became of each period's values, not "summed as if whole".
    const warning = partialPeriodsWarning(report.partialPeriods!);
    const counted = partial.map((p) => ({ ...p, values: valuesOf(grid, p, partialValues) }));
    report.partialPeriods = counted;
    report.warnings = report.warnings.map((w) => (w === warning ? partialValuesWarning(counted, partialValues) : w));
  }
  if (skipped.length > 0) report.warnings = [...report.warnings, skippedProvisionalWarning(skipped)];
  if (unfilled.length > 0) report.warnings = [...report.warnings, rejectedUnfilledWarning(unfilled.map((u) => ({ ...u, ...rejected.periods.get(u.sku)! })))];
  if (filled.length > 0) report.warnings = [...report.warnings, filledGapsWarning(filled.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)))];
  const changed = [...updated, ...added];
  // Only the periods this append wrote: a stored period over a bound (an import before it was
  // checked) must not block every later append of its SKU, which no edit could clear.
  const written = changed.map((s) => writtenPeriods(s, existing.get(s.sku)));
  // A period so late that the dataset's forecast after it would pass 9999-12-31, as an import
  // refuses it (naming the file's latest line): checked on the merged series, nothing stored.
  refuseBeyondYear9999(written, dataset.frequency, dataset.settings.horizon, read.latest, 'nothing was appended', report);
  refuseBeyondModels(written, 'nothing was appended', report);
  const kept = partialValues.filter((v) => v.outcome === 'kept');
  const revised = revisedSummary(dataset, revisions, periodsAfterEnd);
  const warning = revised.earliest === null ? null : revisedHistoryWarning({ values: revisions.length, skus: revised.skus, earliest: revised.earliest, periodsBack: revised.periodsBack ?? 0, onlyHistory: revised.onlyHistory, datasetEnd: dataset.report.dateRange?.end ?? null, old: revised.old });
  if (warning) report.warnings = [...report.warnings, warning];
  const newSkus = added.map((s) => s.sku).sort();
  const base = {
    newSkus: newSkus.slice(0, 100), newSkusLike: await actualsHints(report, newSkus, changed.length, datasetSkusOf),
    absent: { count: absent.length, skus: absent.slice(0, 100), zeroed },
    rejectedSkus: { count: rejectedOnly.length, skus: rejectedOnly.slice(0, 100) },
    revised,
    dryRun,
    datasetUpdatedAt: dataset.updatedAt,
    report, skusChanged: changed.length, skusAdded: added.length, periodsAdded, valuesRevised: revisions.length,
    revisions: revisions.slice(0, 100),
    partial: {
      // A join that made its period complete counts under `settled` (merged.settled), not here.
      provisional: partialValues.filter((v) => v.outcome !== 'kept' && !v.settled).length, kept: kept.length, settled,
      values: [...kept, ...partialValues.filter((v) => v.outcome !== 'kept')].slice(0, 100),
    },
  };
  if (changed.length === 0 || dryRun) {
    return { ...base, actuals: null, batchId: null, jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, jobsSkipped: 0 };
  }
  const plan = planJobs({ dataset, series: changed, models: dataset.settings.models, method: dataset.settings.method, reason: 'actuals_append' });
  const jobs = plan.jobs.length > 0 ? plan.jobs : null;
  const historyEnd = changed.reduce<string | null>((end, s) => (s.dates.length > 0 && (end === null || s.dates[s.dates.length - 1] > end) ? s.dates[s.dates.length - 1] : end), dataset.report.dateRange?.end ?? null);
  const historyStart = changed.reduce<string | null>((start, s) => (s.dates.length > 0 && (start === null || s.dates[0] < start) ? s.dates[0] : start), dataset.report.dateRange?.start ?? null);
  const datasetReport: ImportReport = {
    ...dataset.report,
    skus: dataset.skuCount + added.length,
    dateRange: historyStart && historyEnd ? { start: historyStart, end: historyEnd } : dataset.report.dateRange,
  };
  const { actuals, enqueue, datasetUpdatedAt } = await store.appendActuals(dataset.id, {
    id: `act_${randomUUID().replace(/-/g, '').slice(0, 16)}`, report, datasetReport, updated, added, revisions, periodsAdded, historyEnd,
    seen: Object.fromEntries(updated.map((u) => [u.sku, existing.get(u.sku)!.updatedAt])), settingsSeen: dataset.settings,
    ...(basedOn !== undefined ? { datasetSeen: basedOn } : {}),
  }, jobs, jobs ? { batchId: randomUUID() } : null);
  return {
    ...base,
    datasetUpdatedAt, // after this write: the dataset as the next check or append finds it
    actuals,
    batchId: enqueue?.batchId ?? null,
    jobsCreated: enqueue?.jobsCreated ?? 0,
    jobsReused: enqueue?.jobsReused ?? 0,
    jobsCancelled: enqueue?.jobsCancelled ?? 0,
    jobsSkipped: plan.skipped.length,
  };
}
