import type { Frequency, ImportReport, NewSeries } from './dataset.js';
import { counted } from './counted.js';
import { isoFromDay, type DayOrder } from './date-parse.js';
import { DateTexts } from './date-texts.js';
import { SkuAttributeColumns } from './sku-attributes.js';
import { QuantityMarks } from './quantity-marks.js';
import type { DecimalMark } from './quantity-parse.js';
import { detach, GrowableColumns, GrowableInts } from './growable-columns.js';
import { periodHolesWarning, partialPeriodsWarning, samePlaceInPeriod } from './partial-periods.js';
import { LineLedger } from './line-ledger.js';
import { isTotalLabel, judgeTotals, type TotalNamed } from './pivot-totals.js';
import { TOTAL_ROW, TotalRows } from './total-rows.js';
import { frequencyFromGaps, periodGrid, weekdayIndex, weekdays, type Weekday } from './period-grid.js';
import { weekStartAfterEnds } from './period-end-column.js';
import { MAX_SKU_LENGTH, skuTooLong } from './max-sku-length.js';
import { rejectedFilledWarning } from './accumulator-warnings.js';
import { RejectedLines, type RejectedPeriods } from './rejected-lines.js';
import { noPeriodSeries, periodSeries } from './period-series.js';

/** The warning of a file whose SKUs each have one date (values read, no frequency): import refuses it by this cause. */
export const singleDateWarning = 'the frequency could not be inferred: every SKU has a single date';

const frequencyRank: Record<Frequency, number> = { daily: 0, weekly: 1, monthly: 2, quarterly: 3, yearly: 4 };

export interface AccumulatorOptions {
  dateFormat?: string;
  /** Aggregate to this frequency (finer data is summed into it); inferred when not given. */
  frequency?: Frequency;
  /** The first day of a week when weekly (default: the weekday all dates share, else Monday). */
  weekStart?: Weekday;
  fillGaps: 'zero' | 'report';
  /**
   * How to read n/n/yyyy dates the file cannot settle itself (no number over 12). Actuals pass
   * the order their dataset was read in, so `04/01/2024` for a month-first dataset is April, not
   * a revision of January; `unrecorded` (a dataset that kept no order: imported before it was
   * kept, or from dates that had none) reads as an import would, and warns when that was a guess.
   * Absent: an import, which decides from its own dates.
   */
  dayOrder?: DayOrder | 'unrecorded';
  /** Shortest history that can be forecast (holdout + fit); shorter SKUs are listed in tooShort. */
  minLength: number;
  /**
   * The server's clock (ms since the epoch; default Date.now()): rows dated after its period are
   * warned about (futureRowsWarning), a sales history cannot run past today.
   */
  now?: number;
  /** Name partial periods between the file's ends too (actuals: their periods replace the stored ones). */
  partialInside?: boolean;
  /**
   * Actuals: the day of their period the dataset dates its periods by (ImportReport.periodsDatedLike):
   * a one-date file on it is whole periods (partial-periods.ts).
   */
  periodsDatedLike?: string;
  /**
   * Drop a pivot table's total rows (pivot-totals.ts): a file's, which an export may carry; never
   * a JSON client's rows, which are exactly what it sent.
   */
  dropTotals?: boolean;
}

export interface AccumulatedDataset {
  series: NewSeries[];
  report: ImportReport;
  frequency: Frequency | null;
  /**
   * The usual spacing of the file's dates, in days (readPeriods; 1 when not read): the merge
   * judges by it which side of a partial period the file lacks (weekday-only sales lack no end
   * on a Friday).
   */
  spacing?: number;
  /** The row with the latest date (its first line): an import refuses it when its forecast would pass year 9999. */
  latest?: { sku: string; date: string; line: number };
  /**
   * The SKUs of the rejected lines whose SKU was read (a date or quantity that does not parse),
   * accepted lines or not, each with its first rejected line: actuals name a dataset SKU whose every line was rejected, never
   * calling it absent from the file nor giving it 0 (actuals.ts).
   */
  rejectedSkus?: ReadonlyMap<string, number>;
  /**
   * The same SKUs' rejected lines by period: `lines`, those whose date was read (a quantity that
   * does not parse), `undatedLine` the first whose date was not (a date that does not parse): the
   * merge fills none of those periods with 0, nor, when a date was not read, any in the file's span.
   */
  rejectedPeriods?: ReadonlyMap<string, RejectedPeriods>;
}

/**
 * Collects accepted rows (sku, raw date, quantity) from any source, the CSV reader or the JSON
 * rows of POST /api/jobs, and turns them into regular series and the import report.
 *
 * Memory: rows live in growable typed arrays (16 bytes a row) with SKUs and date strings interned,
 * so a 100 MB file costs a fraction of its size. Dates are parsed once per distinct string at the
 * end, when the whole file has told us whether 03/04/2023 is day-first or month-first.
 */
export class SeriesAccumulator {
  rowsRead = 0;
  private readonly ledger = new LineLedger();
  /** Lines of a SKU named like a total and no date (dropTotals): an export's closing total row. */
  private readonly totalRows = new TotalRows();
  /** Currency symbols and dot uses among the quantities (quantity-marks.ts). */
  private readonly marks = new QuantityMarks();
  private readonly warnings: string[] = [];
  private readonly skuIds = new Map<string, number>();
  private readonly skus: string[] = [];
  /** The rows' dates, interned; parsed at the end, or as they come under a dateFormat (date-texts.ts). */
  private readonly dates: DateTexts;
  private readonly rows = new GrowableColumns();
  /** Each row's line (same order as rows): the future-dated rows and the latest one are named by it. */
  private readonly rowLines = new GrowableInts();
  /** The attribute columns' values kept per SKU, and the conflicts to warn of (sku-attributes.ts). */
  private readonly attributes = new SkuAttributeColumns();
  /** Per SKU: named like a total (dropTotals); those SKUs' first line and count, and the others' last line. */
  private readonly totalNamed: boolean[] = [];
  private readonly totalsSeen = new Map<number, TotalNamed>();
  private lastOtherLine = 0;
  /** The date column when its name says the dates are the periods' last days (`week_ending`): period-end-column.ts. */
  private periodEndColumn: string | null = null;
  /** SKUs a dataset already has (actuals), never dropped as a total: `keepKnownSkus`. */
  private knownSkus: ReadonlySet<string> | undefined;
  /** Rejected lines whose SKU was read: what the series and actuals must not fill with 0 (rejected-lines.ts). */
  private readonly rejected = new RejectedLines();

  constructor(private readonly options: AccumulatorOptions) {
    this.dates = new DateTexts(options.dateFormat, options.dayOrder, (message) => this.warn(message));
  }

  /**
   * Names the attribute columns whose values `add` receives, in that order; the first `keyParts`
   * are a composite key's columns, which a SKU's every line must repeat exactly.
   */
  setAttributeNames(names: string[], keyParts = 0): void {
    this.attributes.set(names, keyParts);
  }

  /**
   * One accepted row. `attributes` are the values of the attribute columns on this row: a SKU
   * keeps the first non-empty value of each; a different one later is counted and warned about.
   */
  add(sku: string, rawDate: string, value: number, line: number, attributes?: string[]): void {
    let s = this.skuIds.get(sku);
    if (s === undefined) {
      // Checked here, where every reader's rows meet: a SKU that could not be opened by its URL is refused by its line.
      if (sku.length > MAX_SKU_LENGTH) return this.reject(line, skuTooLong(sku));
      const name = detach(sku);
      s = this.skus.length;
      this.skuIds.set(name, s);
      this.skus.push(name);
      this.totalNamed.push(this.options.dropTotals === true && isTotalLabel(name));
      this.attributes.newSku(attributes);
    } else {
      const refused = this.attributes.otherLine(s, sku, attributes);
      if (refused !== null) return this.reject(line, refused, sku);
    }
    const d = this.dates.intern(rawDate, line);
    if (d === null) return this.reject(line, `date '${rawDate.trim().slice(0, 40)}' does not parse`, sku);
    if (!this.totalNamed[s]) this.lastOtherLine = Math.max(this.lastOtherLine, line);
    else {
      const seen = this.totalsSeen.get(s);
      if (seen) seen.values++;
      else this.totalsSeen.set(s, { firstLine: line, values: 1 });
    }
    this.rows.push(s, d, value);
    this.rowLines.push(line);
    this.attributes.row(s, attributes);
  }

  /** `sku`: the line's SKU when it was read, so actuals can tell a SKU whose every line was rejected from one with none. */
  reject(line: number, reason: string, sku?: string): void {
    this.ledger.reject(line, reason);
    if (sku !== undefined && sku !== '') this.rejected.noteSku(sku, line);
  }

  /** A line with a SKU and no date: an export's total row (`Summe;;;;155446,0`, dropTotals) set aside, else rejected. */
  emptyDate(line: number, sku: string): void {
    if (this.options.dropTotals !== true || !this.totalRows.take(line, sku)) this.reject(line, 'date is empty', sku);
  }

  /** A line rejected for its quantity: its SKU and date are kept, to say if its period is filled with 0. */
  rejectRow(line: number, reason: string, sku: string, rawDate: string): void {
    this.ledger.reject(line, reason);
    this.rejected.row(line, reason, sku, rawDate);
  }

  /** An accepted quantity's symbols (a currency, a dot in a comma-decimal file), for the report's warnings. */
  noteMarks(line: number, raw: string, value: number, decimal: DecimalMark): void {
    this.marks.note(line, raw, value, decimal);
  }

  /** A line that is not data at all (the header repeated, every field empty): counted, not rejected. */
  setAside(line: number, reason: 'repeated header' | 'empty line'): void {
    this.ledger.setAside(line, reason);
  }

  /** The date column is named for weeks (`KW`, `Woche`): its `01/2024` are week 1, not January. */
  setWeekColumn(name: string): void {
    this.dates.weekColumn = name;
  }

  /**
   * The date column is named for the periods' last days (`week_ending`): weekly dates all on one
   * weekday end their weeks there, unless a weekStart is given (finish).
   */
  setPeriodEndColumn(name: string): void {
    this.periodEndColumn = name;
  }

  /** The SKUs so far named like a total (dropTotals): the ones `judgeTotals` may drop. */
  totalNamedSkus(): string[] {
    return [...new Set([...[...this.totalsSeen.keys()].map((s) => this.skus[s]), ...this.totalRows.labels()])];
  }

  /**
   * SKUs the dataset already has (actuals): never dropped as a pivot table's total, whatever their
   * place or values, since the dataset keeps them as SKUs (a brand named Total sorted last).
   */
  keepKnownSkus(skus: Iterable<string>): void {
    this.knownSkus = new Set(skus);
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  finish(format: 'long' | 'wide', extra: Partial<ImportReport> = {}): AccumulatedDataset {
    const dayOf = this.resolveDates();
    const rows = this.rows;
    const skuCount = this.skus.length;
    // The SKUs of lines whose date does not parse (rejected in resolveDates, by date alone).
    if (dayOf.some(Number.isNaN)) for (let r = 0; r < rows.length; r++) if (Number.isNaN(dayOf[rows.date[r]])) this.rejected.noteSku(this.skus[rows.sku[r]], this.rowLines.values[r]);

    // Bucket rows by SKU (a counting sort: linear, no comparator over millions of rows).
    const starts = new Int32Array(skuCount + 1);
    for (let r = 0; r < rows.length; r++) if (!Number.isNaN(dayOf[rows.date[r]])) starts[rows.sku[r] + 1]++;
    for (let s = 0; s < skuCount; s++) starts[s + 1] += starts[s];
    const order = new Int32Array(starts[skuCount]);
    const fill = starts.slice(0, skuCount);
    for (let r = 0; r < rows.length; r++) if (!Number.isNaN(dayOf[rows.date[r]])) order[fill[rows.sku[r]]++] = r;

    const totals = judgeTotals({
      skus: this.skus, named: this.totalsSeen, lastOtherLine: this.lastOtherLine, rows, starts, order, dayOf, known: this.knownSkus,
    });
    for (const warning of totals.warnings) this.warn(warning);
    // A row is kept when its date parses and its SKU is no total dropped: only kept rows count
    // below (frequency, date range, returns).
    const dropped = totals.dropped;
    let returnLines = 0;
    let returnQuantity = 0;
    for (let k = 0; k < order.length; k++) {
      const r = order[k];
      if (rows.value[r] >= 0 || dropped[rows.sku[r]] === 1) continue;
      returnLines++;
      returnQuantity += rows.value[r];
    }

    const detected = this.inferFrequency(starts, order, dayOf, dropped);
    const frequency = this.options.frequency ?? detected;
    const usedDays = new Set<number>();
    for (let k = 0; k < order.length; k++) {
      const r = order[k];
      if (dropped[rows.sku[r]] === 0) usedDays.add(dayOf[rows.date[r]]);
    }
    // Two dates are one gap, which says nothing of the spacing: a skipped period reads the same
    // (actuals of October with a revised August are monthly, not a quarter apart).
    if (this.options.frequency && detected && frequencyRank[this.options.frequency] < frequencyRank[detected] && usedDays.size >= 3) {
      this.warn(`the dates look ${detected}; read as ${this.options.frequency}, the periods between them are gaps`);
    }
    // The file's days together, for a store x item order export: each SKU's orders are days apart
    // (its own dates look weekly) while the file is daily.
    const sortedDays = [...usedDays].sort((a, b) => a - b);
    const fileGaps: number[] = [];
    for (let i = 1; i < sortedDays.length; i++) fileGaps.push(sortedDays[i] - sortedDays[i - 1]);
    const fileDetected = frequencyFromGaps(fileGaps);
    const finer = (than: Frequency | null | undefined) => !!frequency && !!than && frequencyRank[frequency] > frequencyRank[than];
    // Finer dates summed into a coarser period (days into weeks) are what was asked for; lines on a
    // day of their SKU already seen are not (several orders of a day, or one item in several
    // stores with the store left out of the key): those are counted apart, to be said.
    const aggregating = finer(detected);
    // Finer by the file's days alone (each SKU's own dates look as coarse as the period) counts for
    // the partial ends only when some SKU has lines on two days of one period (irregular orders): a
    // file whose SKUs are each dated on a day of their own (store delivery days, last sale dates,
    // fiscal year ends) is whole periods, whose last one must not be read as partial.
    const byFileOnly = !aggregating && finer(fileDetected);
    let weekStart: Weekday | undefined;
    let periodsDatedLike: string | undefined;
    let built = noPeriodSeries();
    if (frequency) {
      const afterEnds = weekStartAfterEnds(this.periodEndColumn, frequency, usedDays, this.options);
      if (afterEnds) this.warn(afterEnds.warning);
      const grid = periodGrid(frequency, usedDays, this.options.weekStart ?? afterEnds?.start);
      // An import of whole periods all dated on one day of their period: how the history dates them.
      if (!this.options.partialInside && detected === frequency && frequency !== 'daily' && usedDays.size > 0) {
        const days = [...usedDays];
        const last = Math.max(...days);
        if (days.every((day) => samePlaceInPeriod(grid, day, last))) periodsDatedLike = isoFromDay(last);
      }
      if (frequency === 'weekly') weekStart = weekdays[weekdayIndex(grid.date(0))];
      built = periodSeries({
        grid, frequency, usedDays, sortedDays, skus: this.skus, attributesOf: (s) => this.attributes.of(s), rows, rowLines: this.rowLines.values,
        starts, order, dropped, dayOf, aggregating, byFileOnly, options: this.options, warn: (message) => this.warn(message),
        // The periods filled with 0 (fillGaps=zero) that had a rejected line: demand the models see as 0.
        rejectedBySku: this.options.fillGaps === 'zero' ? this.rejected.daysBySku((sku) => this.skuIds.get(sku), (raw) => this.dates.dayOfRaw(raw, dayOf)) : new Map(),
      });
    } else if (usedDays.size > 0) {
      this.warn(singleDateWarning);
    }
    const { series, duplicates, sameDayLines, gaps, tooShort, minDay, maxDay, negative, partial, holes, spacing, filledRejected } = built;
    const conflicts = this.attributes.conflictWarnings(function* rowsOf(s) {
      for (let i = starts[s]; i < starts[s + 1]; i++) yield order[i];
    }, (r) => dayOf[rows.date[r]]);
    for (const warning of conflicts) this.warn(warning);
    if (duplicates > 0 && !aggregating) this.warn(`${counted(duplicates, 'line')} fell in a (sku, period) already seen and ${duplicates === 1 ? 'was' : 'were'} summed into it`);
    if (aggregating && sameDayLines > 0) {
      // A wide file has one SKU column: no key to extend.
      const why = format === 'wide' ? 'a SKU on two rows' : 'several orders of a day, summed as they should be, or one item in several stores: then make the store part of the SKU key';
      this.warn(`${counted(sameDayLines, format === 'wide' ? 'value' : 'line')} fell on a (sku, day) already seen and ${sameDayLines === 1 ? 'was' : 'were'} summed into it (${why})`);
    }
    if (partial.length > 0) this.warn(partialPeriodsWarning(partial));
    if (holes.length > 0) this.warn(periodHolesWarning(holes));
    if (negative.count > 0) {
      this.warn(`${negative.count === 1 ? '1 (sku, period) total is' : `${negative.count} (sku, period) totals are`} negative, returns outweighing sales (${negative.first}); ${negative.count === 1 ? "that SKU's forecasts are" : 'forecasts of those SKUs are'} not clipped at 0`);
    }
    if (returnLines > 0) this.warn(returnLines === 1 ? `1 line is a return (a negative quantity, ${returnQuantity}), summed into its period` : `${returnLines} lines are returns (negative quantities, ${returnQuantity} in all), summed into their periods`);
    for (const warning of this.marks.warnings()) this.warn(warning);
    const totalRows = this.totalRows.settle(this.ledger, this.knownSkus, (sku, line) => this.rejected.noteSku(sku, line));
    if (totalRows !== null) this.warn(totalRows);
    const setAside = this.ledger.setAsideWarning([TOTAL_ROW]);
    if (setAside !== null) this.warn(setAside);
    if (filledRejected.length > 0) this.warn(rejectedFilledWarning(filledRejected, this.rejected.truncated));
    if (gaps.length > 0 && this.options.fillGaps === 'report') {
      this.warn(`${gaps.length === 1 ? '1 SKU has' : `${gaps.length} SKUs have`} missing periods, kept out (fillGaps: report); models see ${gaps.length === 1 ? 'its' : 'their'} values as consecutive`);
    }
    const report: ImportReport = {
      rows: this.rowsRead,
      skus: series.length,
      dateRange: series.length > 0 ? { start: isoFromDay(minDay), end: isoFromDay(maxDay) } : null,
      frequency,
      detectedFrequency: detected,
      ...(weekStart ? { weekStart } : {}),
      ...(periodsDatedLike ? { periodsDatedLike } : {}),
      format,
      dayOrder: this.dates.dayOrder,
      ...this.ledger.report(),
      ...(partial.length > 0 ? { partialPeriods: partial } : {}),
      returns: { lines: returnLines, quantity: returnQuantity },
      duplicates,
      ...(aggregating ? { sameDayLines } : {}),
      gaps,
      tooShort,
      warnings: this.warnings,
      ...extra,
    };
    let latest: AccumulatedDataset['latest'];
    if (series.length > 0) {
      let best = -1;
      for (let k = 0; k < order.length; k++) {
        const r = order[k];
        if (dropped[rows.sku[r]] === 1 || dayOf[rows.date[r]] !== maxDay) continue;
        if (best < 0 || this.rowLines.values[r] < this.rowLines.values[best]) best = r;
      }
      if (best >= 0) latest = { sku: this.skus[rows.sku[best]], date: isoFromDay(maxDay), line: this.rowLines.values[best] };
    }
    return { series, report, frequency, spacing, ...(latest ? { latest } : {}), rejectedSkus: this.rejected.skus(), rejectedPeriods: this.rejected.periods((raw) => this.dates.dayOfRaw(raw, dayOf)) };
  }

  /** Day number per distinct date string (NaN: does not parse, and its rows are rejected). */
  private resolveDates(): Float64Array {
    const { dayOf, numberedWeeks } = this.dates.resolve(this.ledger);
    // A numbered week is the whole week, read by its Monday: no last day to end the weeks on.
    if (numberedWeeks) this.periodEndColumn = null;
    return dayOf;
  }

  private inferFrequency(starts: Int32Array, order: Int32Array, dayOf: Float64Array, dropped: Uint8Array): Frequency | null {
    const gaps: number[] = [];
    const skuCount = starts.length - 1;
    // A sample of SKUs is plenty: the spacing of dates is a property of the file.
    const step = Math.max(1, Math.floor(skuCount / 2000));
    for (let s = 0; s < skuCount; s += step) {
      if (dropped[s] === 1) continue;
      const days = new Set<number>();
      for (let k = starts[s]; k < starts[s + 1]; k++) days.add(dayOf[this.rows.date[order[k]]]);
      const sorted = [...days].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i] - sorted[i - 1]);
    }
    return frequencyFromGaps(gaps);
  }
}
