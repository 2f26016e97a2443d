import { DatasetValidationError } from './dataset-validation-error.js';
import { dayParts, namedMonthShortYear } from './date-parse.js';

/**
 * Excel's month labels: a month's name, a hyphen and a two-digit year (`Jan-24`, its mmm-yy; a
 * German Excel writes `Mrz-24`, `Mai-24`, `Okt-24`, `Dez-24`). date-parse.ts reads them; this
 * module refuses a file whose labels cannot all be read as months, rather than lose a month:
 *
 * - a label of that shape that names no month (`Foo-24`, or a language we do not read) among
 *   labels that do: as a wide file's header it would be a column ignored and its month filled
 *   with zeros, as a long file's date its lines refused and the month zero-filled all the same.
 * - labels that read as months but cannot be a file's months: Excel writes a day without its year
 *   `Jan-01` (mmm-dd) too, which reads as January 2001, so a daily file's `Jan-01 .. Jan-31` would
 *   be 31 years of Januaries, 2001 to 2031. Refused when the labels are not monthly (they cover
 *   half the months between the first and the last or fewer, unless they step by quarters: quarterSteps), when one runs past next year, or when they are all one month over
 *   several years. A `dateFormat` (`MMM-YY`) says they are months, and skips this.
 */
const labelShape = /^[\p{L}]{3,9}\.?-\d{2}$/u;

/** Whether a text is shaped like a month label (letters, a hyphen, two digits), read or not. */
export function isMonthLabelShaped(text: string): boolean {
  return labelShape.test(text.trim());
}

/**
 * The refusal of a file with a label shaped like its months that is none (`Foo-24` beside
 * `Jan-24`), naming it and where it is; null when there is none, or no label was read as a month.
 * `labels`: the file's distinct date texts, each with whether it was read as a date and where it
 * is (`column 4`, `line 12`: the refusal's path).
 */
export function unreadMonthLabel(labels: Iterable<{ text: string; read: boolean; where: string }>): DatasetValidationError | null {
  let example: string | undefined;
  let unread: { text: string; where: string } | undefined;
  for (const label of labels) {
    if (!isMonthLabelShaped(label.text)) continue;
    if (label.read) example ??= label.text;
    else unread ??= label;
  }
  if (example === undefined || unread === undefined) return null;
  return new DatasetValidationError(`the month label '${unread.text}' (${unread.where}) names no month`, [{
    path: unread.where,
    message: `'${unread.text}' is written like the file's months ('${example}') but names no month we read (English or German: Jan, Mrz, Mai, Okt, Dez, ...); fix it in the file, or give dateFormat, rather than have its month read as zero`,
  }]);
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The refusal of month labels (`Jan-24`) that cannot be a file's months, as read (`day`, days since
 * 1970-01-01), naming one; null when they can, or the file has fewer than two. `thisYear`: the
 * calendar's (injected by tests).
 */
export function implausibleMonthLabels(labels: Iterable<{ text: string; day: number; where: string }>, thisYear = new Date().getUTCFullYear()): DatasetValidationError | null {
  const read: Array<{ text: string; month: number; where: string }> = [];
  for (const label of labels) {
    if (!namedMonthShortYear.test(label.text.trim())) continue;
    const { y, m } = dayParts(label.day);
    read.push({ text: label.text.trim(), month: y * 12 + m - 1, where: label.where });
  }
  if (read.length < 2) return null;
  read.sort((a, b) => a.month - b.month);
  const first = read[0];
  const last = read[read.length - 1];
  const name = (month: number) => `${monthNames[month % 12]} ${Math.floor(month / 12)}`;
  const span = `'${first.text}' to '${last.text}' read as ${name(first.month)} to ${name(last.month)}`;
  let why: string | null = null;
  const months = new Set(read.map((l) => l.month)).size;
  const spanned = last.month - first.month + 1;
  if (Math.floor(last.month / 12) > thisYear + 1) why = `'${last.text}' would be ${name(last.month)}, after next year`;
  else if (new Set(read.map((l) => l.month % 12)).size === 1 && months > 1) why = `they are all ${monthNames[first.month % 12]}, over ${months} years`;
  // Monthly with a month or two missing covers most of its span; days of two months, Jan-01 ..
  // Jan-03 and Feb-01 .. Feb-03, cover 6 of 26. Quarters (Jan-24, Apr-24, Jul-24: a quarterly
  // export's labels) cover a third, every step between two of them a quarter or two
  // (quarterSteps); those days' steps (1, 11, 1, 11 months) are not.
  else if (months * 2 <= spanned && !quarterSteps(read.map((l) => l.month))) why = `they cover only ${months} of the ${spanned} months in between, neither monthly nor quarterly`;
  if (why === null) return null;
  return new DatasetValidationError(`the labels ${span} are no months: ${why}`, [{
    path: last.where,
    message: `${why}: Excel writes a day without its year as Jan-01 (mmm-dd) too; save the dates with their year (2024-01-31), or give dateFormat=MMM-YY if they are months`,
  }]);
}

/**
 * Whether sorted months step as a quarterly export's do: each step a quarter (3 months) or, a
 * quarter missing, two (6), and the labels at least half the quarters from the first to the last.
 * Days of Excel's mmm-dd every third day of January and April (`Jan-03, Jan-06, Apr-03, Apr-06`:
 * 2003-01, 2003-04, 2006-01, 2006-04, steps of 3 and 33 months) are none. `Jan-01, Apr-01, Jul-01,
 * Oct-01` alone still are (2001's quarters, or four days: the labels cannot tell; days need their year).
 */
function quarterSteps(sorted: number[]): boolean {
  const distinct = [...new Set(sorted)];
  if (distinct.length < 2) return false;
  const quarters = (distinct[distinct.length - 1] - distinct[0]) / 3 + 1;
  return distinct.every((m, i) => i === 0 || m - distinct[i - 1] === 3 || m - distinct[i - 1] === 6) && distinct.length * 2 >= quarters;
}
