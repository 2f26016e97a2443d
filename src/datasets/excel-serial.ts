import { dayNumber, dayParts, isoFromDay } from './date-parse.js';

/**
 * Excel serial dates: a date cell is stored as the number of days since 1899-12-30 (45292 is
 * 2024-01-01), and a sheet whose date cells lost their format (pasted as values, a column typed
 * General) saves that number into its CSV. Read only by a whole file's decision (every date of
 * a file, or three or more wide headers in calendar order), never one value at a time: a lone
 * 45292 among real dates, or in a quantity column, is a number. parseDateAuto reads none of them:
 * a whole number of five digits is no other date form, so nothing else is shadowed.
 */

/** 1970-01-01 and 2099-12-31: the dates a sales history can have. */
export const EXCEL_SERIAL_MIN = 25569;
export const EXCEL_SERIAL_MAX = 73050;
/** The serial of 1970-01-01, day 0 of our day numbers (valid past Excel's 1900 leap-year bug, serial 60). */
const EPOCH_SERIAL = 25569;

const wholeNumber = /^\d{5}$/;

/** The day number (days since 1970-01-01) of a serial date in range, or null. */
export function excelSerialDay(text: string): number | null {
  const t = text.trim();
  if (!wholeNumber.test(t)) return null;
  const serial = Number(t);
  return serial >= EXCEL_SERIAL_MIN && serial <= EXCEL_SERIAL_MAX ? serial - EPOCH_SERIAL : null;
}

/** Gaps in days between neighbouring periods: a day, a week, a month, a quarter, a year. */
function regularGap(gap: number): boolean {
  return gap === 1 || gap === 7 || (gap >= 28 && gap <= 31) || (gap >= 89 && gap <= 92) || gap === 365 || gap === 366;
}

/** 1990-01-01, the earliest a wide file's serial header may be (older numbers are store numbers, codes). */
const HEADER_SERIAL_FIRST_DAY = 7305;

/**
 * Which headers of a wide file are serial dates, or null when they do not look like a row of
 * periods: at least three, left to right, each a day, a week, a month, a quarter or a year after
 * the one before, all from 1990 to two years after `today` (a day number). Three, not two: a
 * headerless long file's first row (`A,45292,45300`: a SKU, a serial date, a quantity in the
 * range) has two numbers after its SKU, and reading it as a header of dates would read its
 * quantities as periods. Store numbers (`31012,31047,31101,31340`), irregular or from the 1980s,
 * are no periods either. The caller asks only when no header is a date of another form.
 */
export function serialDateHeaders(headers: string[], today = Math.floor(Date.now() / 86_400_000)): boolean[] | null {
  const marks = headers.map((h) => excelSerialDay(h) !== null);
  const days = headers.map(excelSerialDay).filter((d): d is number => d !== null);
  if (days.length < 3) return null;
  const { y, m, d } = dayParts(today);
  const last = dayNumber(y + 2, m, m === 2 && d === 29 ? 28 : d)!;
  if (days.some((day) => day < HEADER_SERIAL_FIRST_DAY || day > last)) return null;
  for (let i = 1; i < days.length; i++) if (!regularGap(days[i] - days[i - 1])) return null;
  return marks;
}

/**
 * Whether a file's dates (its distinct date strings; `lines(d)`: how many lines use the d-th) are
 * to be read as serial dates: when every one is (an empty one, refused anyway, aside). The warning
 * says so, or, when only some are, that none was read as one (each is refused as no date).
 */
export function excelSerialReading(dates: readonly string[], lines: (d: number) => number): { all: boolean; warning: string | null } {
  let serialLines = 0;
  let example: string | undefined;
  let other: string | undefined;
  let timed: { example: string; lines: number } | undefined;
  for (let d = 0; d < dates.length; d++) {
    if (dates[d] === '') continue;
    if (excelSerialDay(dates[d]) !== null) {
      example ??= dates[d];
      serialLines += lines(d);
      continue;
    }
    other ??= dates[d];
    const whole = /^(\d{5})[.,]\d+$/.exec(dates[d]);
    if (whole && excelSerialDay(whole[1]) !== null) {
      timed ??= { example: dates[d], lines: 0 };
      timed.lines += lines(d);
    }
  }
  if (example === undefined && timed !== undefined) {
    // Serials with a time of day: refused, but say what they are.
    return {
      all: false,
      warning: `${timed.lines} line${timed.lines === 1 ? ' has a date' : 's have dates'} like '${timed.example}', an Excel serial date with a time of day (the fraction), read as no date: format the date column as dates in the sheet and save it again`,
    };
  }
  if (example === undefined) return { all: false, warning: null };
  if (other !== undefined) {
    return {
      all: false,
      warning: `${serialLines} line${serialLines === 1 ? ' has a date' : 's have dates'} that look like Excel serial numbers ('${example}'), but not every date is one (like '${other}'), so none was read as one: format the date column as dates in the sheet and save it again`,
    };
  }
  return {
    all: true,
    warning: `every date is a whole number from ${EXCEL_SERIAL_MIN} to ${EXCEL_SERIAL_MAX}, read as an Excel serial date ('${example}' as ${isoFromDay(excelSerialDay(example)!)}), as a sheet saves date cells that lost their date format: check the dates`,
  };
}

/**
 * The warning of a file whose dates do not parse by its dateFormat but are Excel serials
 * (`45292` under `YYYY-MM-DD`): a format turns serials off, and its dates are refused.
 */
export function serialUnderFormatWarning(example: string, dateFormat: string): string {
  return `dates like '${example}' do not parse by dateFormat '${dateFormat}' but look like Excel serial dates ('${example}' is ${isoFromDay(excelSerialDay(example)!)}): without a dateFormat, a file whose every date is one reads them as such`;
}
