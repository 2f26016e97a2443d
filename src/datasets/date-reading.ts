import { dayOrderOfFormat, parseDateAuto, type DayOrder } from './date-parse.js';
import { resolveDayOrder } from './day-order.js';
import { excelSerialDay, excelSerialReading } from './excel-serial.js';
import { implausibleMonthLabels, unreadMonthLabel } from './month-labels.js';
import { weekNumberDay, weekNumbersWarning } from './week-numbers.js';

/**
 * How a file's distinct date texts become days, once the whole file is read: by its dateFormat
 * (already parsed to ISO as rows came), as Excel serials (every date one), or automatically in
 * the file's day order (or its dataset's), a week column's numbered weeks as ISO weeks. Month
 * labels that are none, or no months, refuse the file here (month-labels.ts, thrown): wide
 * headers are dates too, as the reader passes each cell's header. Split from SeriesAccumulator,
 * which keeps the rows and turns them into series; called by its DateTexts (date-texts.ts).
 */
export interface DateReadingInput {
  dates: readonly string[];
  /** How many lines use the d-th date, and the first of them. */
  count: (d: number) => number;
  firstLine: (d: number) => number;
  /** Given: the dates are ISO already (add() parsed each by it). */
  dateFormat?: string;
  /** Actuals: the dataset's day order (AccumulatorOptions.dayOrder). */
  dayOrder?: DayOrder | 'unrecorded';
  /** The date column when named for weeks (`KW`): its `01/2024` are ISO weeks. */
  weekColumn: string | null;
}

export interface DateReading {
  /** Day number per date; NaN for a date that does not parse. */
  dayOf: Float64Array;
  /** The order n/n/yyyy dates were read in, null when the file had none. */
  dayOrder: DayOrder | null;
  /** Some dates were numbered weeks (`01/2024` under a week column), read as their Monday. */
  numberedWeeks: boolean;
  warnings: string[];
}

export function readDates(input: DateReadingInput): DateReading {
  const { dates } = input;
  const warnings: string[] = [];
  const warn = (warning: string | null) => {
    if (warning !== null && !warnings.includes(warning)) warnings.push(warning);
  };
  let dayOrder: DayOrder | null = null;
  let weekWarned = false;
  let parse: (text: string) => number | null;
  const serials = input.dateFormat ? null : excelSerialReading(dates, input.count);
  if (input.dateFormat) {
    parse = (text) => parseDateAuto(text);
    dayOrder = dayOrderOfFormat(input.dateFormat);
  } else if (serials!.all) {
    warn(serials!.warning);
    parse = excelSerialDay;
  } else {
    warn(serials!.warning);
    const { order, found, warning } = resolveDayOrder(dates, input.dayOrder);
    warn(warning);
    if (found) dayOrder = order;
    const auto = (text: string) => parseDateAuto(text, order);
    const column = input.weekColumn;
    parse = column === null ? auto : (text) => {
      const day = weekNumberDay(text);
      if (day === undefined) return auto(text);
      if (day !== null && !weekWarned) {
        warn(weekNumbersWarning(column, text, day));
        weekWarned = true;
      }
      return day;
    };
  }
  const dayOf = new Float64Array(dates.length);
  for (let d = 0; d < dates.length; d++) dayOf[d] = parse(dates[d]) ?? NaN;
  if (!input.dateFormat) {
    // `Foo-24` among `Jan-24` months: its lines refused, its month would read as 0.
    const where = (d: number) => `line ${input.firstLine(d)}`;
    const unread = unreadMonthLabel(dates.map((text, d) => ({ text, read: !Number.isNaN(dayOf[d]), where: where(d) })));
    if (unread) throw unread;
    // `Jan-01 .. Jan-31`, Excel's days without a year, read as 31 years.
    const implausible = implausibleMonthLabels(dates.flatMap((text, d) => (Number.isNaN(dayOf[d]) ? [] : [{ text, day: dayOf[d], where: where(d) }])));
    if (implausible) throw implausible;
  }
  return { dayOf, dayOrder, numberedWeeks: weekWarned, warnings };
}
