/**
 * Dates as people type them, turned into day numbers (days since 1970-01-01, UTC). Automatic
 * parsing accepts ISO dates (with an optional time), yyyymmdd, dd/mm/yyyy or mm/dd/yyyy (the order
 * is decided once per file by `chooseDayOrder`), dd.mm.yyyy, year-month forms (2023-01, 01/2023,
 * Jan 2023, January 2023, Excel's Jan-24; German month names too: Mrz-24, Mai 2023), quarters (2023-Q1, Q1 2023), ISO weeks (2023-W05) and bare years.
 * Any of the day forms may carry a time (`04/19/19 08:46`, `2019-04-19T08:46:00Z`, `19.04.2019
 * 08:46:10`, `4/19/2019 8:46 PM`): a line belongs to the day as written, the time and zone are
 * checked and dropped. Two-digit years pivot at 69 (POSIX strptime's %y): 00-68 are 2000-2068,
 * 69-99 are 1969-1999. An explicit format (`YYYY-MM-DD`, `MM/DD/YY HH:mm`, ...) turns automatic
 * parsing off.
 */
export type DayOrder = 'dmy' | 'mdy';

const DAY_MS = 86_400_000;
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Days since the epoch, or null when y-m-d is not a calendar date. */
export function dayNumber(y: number, m: number, d: number): number | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  const date = new Date(t);
  if (date.getUTCDate() !== d || date.getUTCMonth() !== m - 1) return null;
  return t / DAY_MS;
}

/** Days since the epoch of an ISO date (yyyy-mm-dd): isoFromDay's inverse. */
export function dayFromIso(iso: string): number {
  return Math.round(Date.parse(iso) / DAY_MS);
}

export function isoFromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayParts(day: number): { y: number; m: number; d: number } {
  const date = new Date(day * DAY_MS);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/**
 * A German export's month names where they differ from the English (`Mrz-24`, `Mai-24`, `Okt-24`,
 * `Dez-24`: German Excel's mmm-yy; `März`, `Juni`, `Juli`: its mmmm-yy), and Austria's `Jän`.
 * No English name means another month in German, so both are read everywhere.
 */
const germanMonths = new Map<string, number>([
  ['januar', 1], ['jän', 1], ['jänner', 1], ['februar', 2], ['mrz', 3], ['mär', 3], ['märz', 3], ['maerz', 3], ['mai', 5],
  ['juni', 6], ['juli', 7], ['okt', 10], ['oktober', 10], ['dez', 12], ['dezember', 12],
]);

export function monthFromName(name: string): number | null {
  const lower = name.toLowerCase().replace(/\.$/, '');
  const german = germanMonths.get(lower);
  if (german !== undefined) return german;
  const i = monthNames.indexOf(lower.slice(0, 3));
  if (i < 0) return null;
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][i];
  return full.startsWith(lower) || lower === 'sept' ? i + 1 : null;
}

export function isoWeekMonday(year: number, week: number): number | null {
  if (week < 1 || week > 53) return null;
  const jan4 = dayNumber(year, 1, 4)!;
  const jan4Weekday = (new Date(jan4 * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  const monday = jan4 - jan4Weekday + (week - 1) * 7;
  return dayParts(monday + 3).y === year ? monday : null;
}

const isoDate = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const compact = /^(\d{4})(\d{2})(\d{2})$/;
const slashDate = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
/** A time after a day: `08:46`, `8:46:10.5`, `8:46 PM`, `T08:46:00Z`, `08:46+02:00`. */
const timeSuffix = /(?:[T ]|, ?)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?: ?([AaPp])\.?[Mm]\.?)?(?: ?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/;

/** Two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (POSIX strptime's %y pivot). */
export const TWO_DIGIT_YEAR_PIVOT = 69;
export function fullYear(text: string): number {
  const y = Number(text);
  if (text.length !== 2) return y;
  return y < TWO_DIGIT_YEAR_PIVOT ? 2000 + y : 1900 + y;
}

/**
 * The day part of a date with a time, or the text itself when it has no time. A time that is not
 * one (25:00, 08:61, 13:00 PM) leaves the text whole, so it fails to parse and is reported.
 */
export function withoutTime(text: string): string {
  if (!text.includes(':')) return text;
  const m = timeSuffix.exec(text);
  if (!m) return text;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  if (minute > 59 || second > 60) return text;
  if (m[4] !== undefined ? hour < 1 || hour > 12 : hour > 24 || (hour === 24 && minute + second > 0)) return text;
  return text.slice(0, m.index);
}
const yearMonth = /^(\d{4})[-/.](\d{1,2})$/;
const monthYear = /^(\d{1,2})[-/.](\d{4})$/;
const quarter = /^(\d{4})[- ]?Q([1-4])$|^Q([1-4])[- ]?(\d{4})$/i;
const isoWeek = /^(\d{4})-?W(\d{1,2})$/i;
// `[ ,-]`, not `[ -,]`: written that way the class was the range space..comma, which let `Jan*2024`
// through and refused Excel's `31-Jan-2024` and `Jan-2024`.
const namedMonth = /^(?:(\d{1,2})[ -])?([A-Za-zÄä]{3,9}\.?)[ ,-]*(?:(\d{1,2}),? )?(\d{4})$/;
const yearNamedMonth = /^(\d{4})[ -]([A-Za-zÄä]{3,9})$/;
/**
 * Excel's mmm-yy (`Jan-24`), its default month format in an English locale, and mmmm-yy. Only with
 * the hyphen: Excel writes a day without a year the other way round (d-mmm, `24-Jan`), while
 * `May 24` is how a day is typed, and read as a year it would make May 24, 25, 26 three years.
 */
export const namedMonthShortYear = /^([A-Za-zÄä]{3,9})\.?-(\d{2})$/;
const bareYear = /^(\d{4})$/;

/** A d/m/y or m/d/y string's two leading numbers, for `chooseDayOrder`. */
export function slashParts(text: string): [number, number] | null {
  const m = slashDate.exec(withoutTime(text.trim()));
  return m ? [Number(m[1]), Number(m[3])] : null;
}

export function parseDateAuto(raw: string, order: DayOrder = 'dmy'): number | null {
  const whole = raw.trim();
  if (whole === '') return null;
  const text = withoutTime(whole);
  const timed = text !== whole;
  let m = isoDate.exec(text);
  if (m) return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = slashDate.exec(text))) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = fullYear(m[4]);
    // A dot-separated date is always day first (German, Swiss, ...).
    const dayFirst = m[2] === '.' || order === 'dmy';
    return dayFirst ? dayNumber(y, b, a) : dayNumber(y, a, b);
  }
  if ((m = compact.exec(text))) return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = namedMonth.exec(text)) && (m[1] !== undefined || m[3] !== undefined)) {
    const month = monthFromName(m[2]);
    return month === null ? null : dayNumber(Number(m[4]), month, Number(m[1] ?? m[3]));
  }
  // Only a day can carry a time: "2023-03 08:00" is not a date.
  if (timed) return null;
  if ((m = yearMonth.exec(text))) return dayNumber(Number(m[1]), Number(m[2]), 1);
  if ((m = monthYear.exec(text))) return dayNumber(Number(m[2]), Number(m[1]), 1);
  if ((m = quarter.exec(text))) {
    const year = Number(m[1] ?? m[4]);
    const q = Number(m[2] ?? m[3]);
    return dayNumber(year, (q - 1) * 3 + 1, 1);
  }
  if ((m = isoWeek.exec(text))) return isoWeekMonday(Number(m[1]), Number(m[2]));
  if ((m = namedMonth.exec(text))) {
    const month = monthFromName(m[2]);
    if (month === null) return null;
    const day = Number(m[1] ?? m[3] ?? 1);
    return dayNumber(Number(m[4]), month, day);
  }
  if ((m = yearNamedMonth.exec(text))) {
    const month = monthFromName(m[2]);
    return month === null ? null : dayNumber(Number(m[1]), month, 1);
  }
  if ((m = namedMonthShortYear.exec(text))) {
    const month = monthFromName(m[1]);
    return month === null ? null : dayNumber(fullYear(m[2]), month, 1);
  }
  if ((m = bareYear.exec(text))) {
    const year = Number(m[1]);
    return year >= 1900 && year <= 2200 ? dayNumber(year, 1, 1) : null;
  }
  return null;
}

/**
 * Day-first or month-first for a file's n/n/yyyy dates. A first number over 12 settles it one way,
 * a second over 12 the other; otherwise a component that never changes is the day (monthly data
 * written 01/02/2023, 01/03/2023 is day-first). Still undecided: day-first, flagged ambiguous when
 * some date would read differently month-first (a file of one date, 04/01/2024, is; 01/01/2024
 * is not). `found`: the file has such dates at all; `settled`: a number over 12 decided, which no
 * other order can read; `example`: a date that reads differently each way, for a warning.
 */
export interface DayOrderChoice {
  order: DayOrder;
  ambiguous: boolean;
  conflicting: boolean;
  found: boolean;
  settled: boolean;
  example?: string;
}

export function chooseDayOrder(texts: Iterable<string>): DayOrderChoice {
  let firstOver12 = false;
  let secondOver12 = false;
  const firsts = new Set<number>();
  const seconds = new Set<number>();
  let any = false;
  let example: string | undefined;
  for (const text of texts) {
    if (text.includes('.')) continue;
    const parts = slashParts(text);
    if (!parts) continue;
    any = true;
    if (parts[0] > 12) firstOver12 = true;
    if (parts[1] > 12) secondOver12 = true;
    if (example === undefined && parts[0] !== parts[1] && parts[0] <= 12 && parts[1] <= 12) example = text;
    firsts.add(parts[0]);
    seconds.add(parts[1]);
  }
  const found = any;
  const of = (order: DayOrder, rest: Partial<DayOrderChoice> = {}): DayOrderChoice => ({
    order, ambiguous: false, conflicting: false, found, settled: false, ...(example !== undefined ? { example } : {}), ...rest,
  });
  if (!any) return of('dmy');
  if (firstOver12 && secondOver12) return of('dmy', { conflicting: true });
  if (firstOver12) return of('dmy', { settled: true });
  if (secondOver12) return of('mdy', { settled: true });
  if (firsts.size === 1 && seconds.size > 1) return of('dmy');
  if (seconds.size === 1 && firsts.size > 1) return of('mdy');
  return of('dmy', { ambiguous: example !== undefined });
}

/**
 * The order an explicit format reads n/n/yyyy dates in (`DD/MM/YYYY`: dmy, `MM/DD/YY HH:mm`:
 * mdy), or null when it reads none (`YYYY-MM-DD`, `MMM YYYY`): kept with a dataset so actuals
 * typed the same way are read the same way.
 */
export function dayOrderOfFormat(format: string): DayOrder | null {
  const m = /^(M{1,2}|D{1,2})[/.-](M{1,2}|D{1,2})[/.-](YYYY|YY)\b/.exec(format.trim());
  if (!m || m[1][0] === m[2][0]) return null;
  return m[1][0] === 'D' ? 'dmy' : 'mdy';
}

/**
 * A parser for one explicit format. Tokens: YYYY or YY (two digits, pivot as above), MM or M
 * (month number), MMM or MMMM (month name), DD or D, Q (quarter), WW (ISO week), HH (hour, 0-24),
 * mm (minute), ss (second); anything else must match literally. A time is checked, then dropped.
 */
export function compileDateFormat(format: string): (text: string) => number | null {
  const tokens = /YYYY|YY|MMMM|MMM|MM|M|DD|D|Q|WW|HH|mm|ss/g;
  const fields: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const match of format.matchAll(tokens)) {
    pattern += escapeRegExp(format.slice(last, match.index));
    const token = match[0];
    fields.push(token);
    pattern += token === 'YYYY' ? '(\\d{4})' : token === 'YY' || token === 'mm' || token === 'ss' ? '(\\d{2})'
      : token.startsWith('MMM') ? '([A-Za-zÄä]{3,9}\\.?)' : token === 'Q' ? '([1-4])' : '(\\d{1,2})';
    last = match.index + token.length;
  }
  pattern += `${escapeRegExp(format.slice(last))}$`;
  if (!fields.includes('YYYY') && !fields.includes('YY')) throw new Error(`date format '${format}' has no YYYY (or YY)`);
  const regex = new RegExp(pattern);
  return (raw: string) => {
    const m = regex.exec(raw.trim());
    if (!m) return null;
    let y = 0;
    let month = 1;
    let d = 1;
    let week: number | null = null;
    let hour = 0;
    let past = 0; // minutes and seconds: 24:00 ends a day, 24:30 is no time
    for (let i = 0; i < fields.length; i++) {
      const value = m[i + 1];
      switch (fields[i]) {
        case 'YYYY': case 'YY': y = fullYear(value); break;
        case 'HH': if (Number(value) > 24) return null; hour = Number(value); break;
        case 'mm': if (Number(value) > 59) return null; past += Number(value); break;
        case 'ss': if (Number(value) > 60) return null; past += Number(value); break;
        case 'MM': case 'M': month = Number(value); break;
        case 'MMM': case 'MMMM': {
          const n = monthFromName(value);
          if (n === null) return null;
          month = n;
          break;
        }
        case 'DD': case 'D': d = Number(value); break;
        case 'Q': month = (Number(value) - 1) * 3 + 1; break;
        case 'WW': week = Number(value); break;
      }
    }
    if (hour === 24 && past > 0) return null;
    return week === null ? dayNumber(y, month, d) : isoWeekMonday(y, week);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
