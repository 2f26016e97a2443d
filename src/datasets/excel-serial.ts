import { isoFromDay } from './date-parse.js';

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

/**
 * Which headers of a wide file are serial dates, or null when they do not look like a row of
 * periods: at least three, increasing left to right, neighbours at most a year apart. Three,
 * not two: a headerless long file's first row (`A,45292,45300`: a SKU, a serial date, a quantity
 * in the range) has two numbers after its SKU, and reading it as a header of dates would read its
 * quantities as periods. The caller asks only when no header is a date of another form.
 */
export function serialDateHeaders(headers: string[]): boolean[] | null {
  const marks = headers.map((h) => excelSerialDay(h) !== null);
  const days = headers.map(excelSerialDay).filter((d): d is number => d !== null);
  if (days.length < 3) return null;
  for (let i = 1; i < days.length; i++) {
    const gap = days[i] - days[i - 1];
    if (gap <= 0 || gap > 366) return null;
  }
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
  for (let d = 0; d < dates.length; d++) {
    if (dates[d] === '') continue;
    if (excelSerialDay(dates[d]) === null) other ??= dates[d];
    else {
      example ??= dates[d];
      serialLines += lines(d);
    }
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
