import { compileDateFormat, isoFromDay, parseDateAuto, withoutTime, type DayOrder } from './date-parse.js';
import { readDates } from './date-reading.js';
import { excelSerialDay, serialUnderFormatWarning } from './excel-serial.js';
import { detach } from './growable-columns.js';
import { REJECTED_CAP, type LineLedger } from './line-ledger.js';

/**
 * The rows' distinct date texts, interned (an id per text, kept beside each row), so a million
 * lines of a few hundred dates hold a few hundred strings. Two modes, by the dateFormat: given,
 * each row's date is parsed as it comes (no day order to wait for) and interned as ISO, a date it
 * refuses rejecting its row at once; absent, the texts are interned as read and turned into days
 * only by resolve(), once the whole file has told whether 03/04/2023 is day-first or month-first.
 */
export class DateTexts {
  private readonly parse: ((text: string) => number | null) | null;
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  /** Per text: how many rows used it and their first lines, to reject them if it does not parse. */
  private readonly uses: Array<{ count: number; lines: number[] }> = [];
  /** A date refused by the dateFormat was an Excel serial (warned once). */
  private serialWarned = false;
  /** The order n/n/yyyy dates were read in (null: the file had none), known once resolved; kept in the report. */
  dayOrder: DayOrder | null = null;
  /** The date column when it is named for weeks (`KW`): its `01/2024` are ISO weeks (week-numbers.ts). */
  weekColumn: string | null = null;

  /** `dayOrder`: AccumulatorOptions.dayOrder, for dates the file cannot settle. */
  constructor(private readonly dateFormat: string | undefined, private readonly givenDayOrder: DayOrder | 'unrecorded' | undefined, private readonly warn: (message: string) => void) {
    this.parse = dateFormat ? compileDateFormat(dateFormat) : null;
  }

  /** An accepted row's date: its id, or null when the dateFormat refuses it (the row is rejected). */
  intern(rawDate: string, line: number): number | null {
    let text: string;
    if (this.parse) {
      const day = this.parse(rawDate);
      if (day === null) {
        if (!this.serialWarned && excelSerialDay(rawDate) !== null) {
          this.serialWarned = true;
          this.warn(serialUnderFormatWarning(rawDate.trim(), this.dateFormat!));
        }
        return null;
      }
      text = isoFromDay(day);
    } else {
      // Without the time: an order export has a distinct timestamp per line.
      text = withoutTime(rawDate.trim());
    }
    let d = this.ids.get(text);
    if (d === undefined) {
      const kept = detach(text);
      d = this.texts.length;
      this.ids.set(kept, d);
      this.texts.push(kept);
      this.uses.push({ count: 0, lines: [] });
    }
    const uses = this.uses[d];
    uses.count++;
    if (uses.lines.length < REJECTED_CAP) uses.lines.push(line);
    return d;
  }

  /**
   * Day number per id (NaN: does not parse, and its rows are rejected into `ledger`), once every
   * row is in; `numberedWeeks`: some dates were numbered weeks, read by their Monday.
   */
  resolve(ledger: LineLedger): { dayOf: Float64Array; numberedWeeks: boolean } {
    const { dayOf, dayOrder, numberedWeeks, warnings } = readDates({
      dates: this.texts,
      count: (d) => this.uses[d].count,
      firstLine: (d) => this.uses[d].lines[0],
      dateFormat: this.parse ? this.dateFormat : undefined,
      dayOrder: this.givenDayOrder,
      weekColumn: this.weekColumn,
    });
    this.dayOrder = dayOrder;
    for (const warning of warnings) this.warn(warning);
    for (let d = 0; d < this.texts.length; d++) {
      if (!Number.isNaN(dayOf[d])) continue;
      const uses = this.uses[d];
      const reason = this.texts[d] === '' ? 'date is empty' : `date '${this.texts[d]}' does not parse`;
      for (const line of uses.lines) ledger.reject(line, reason);
      // Only the first lines of a date are kept; the rest count all the same.
      ledger.rejectMore(reason, uses.count - uses.lines.length);
    }
    return { dayOf, numberedWeeks };
  }

  /** The day of a rejected line's date, read as the accepted lines' dates were (`dayOf`: resolve's; null: none). */
  dayOfRaw(raw: string, dayOf: Float64Array): number | null {
    if (this.parse) return this.parse(raw);
    const d = this.ids.get(withoutTime(raw));
    if (d !== undefined) return Number.isNaN(dayOf[d]) ? null : dayOf[d];
    return parseDateAuto(raw, this.dayOrder ?? 'dmy');
  }
}
