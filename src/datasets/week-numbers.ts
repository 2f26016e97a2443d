import { isoFromDay, isoWeekMonday } from './date-parse.js';

/**
 * A week column's numbered weeks: a German export's `KW` (Kalenderwoche) or `Woche` column writes
 * the calendar week and its year, `01/2024` or `KW 01/2024`, and `2024/01` too. Read by automatic
 * parsing those are months (`01/2024` is January), so weeks 1 to 12 became months and 13 to 53
 * were refused. Under a column named for weeks (`isWeekColumn`) they are ISO weeks, each read as
 * its Monday (`01/2024` is 2024-01-01); a number over 53, or a week 53 its year lacks, is refused.
 * Any other date under that column (`2024-01-08`, `2024-01`: a month) reads as it always does.
 */
const weekHeader = /^(?:kw|wk)$|woche|week/;

/** Whether a header names a column of weeks (`KW`, `Woche`, `Kalenderwoche`, `Week`, `ISO week`). */
export function isWeekColumn(normalizedHeader: string): boolean {
  return weekHeader.test(normalizedHeader);
}

/**
 * The week and its year apart by a slash (`01/2024`, `2024/01`), or by any separator after a `KW`
 * marker (`KW 01/2024`, `KW02-2024`, `2024 KW 02`). Never hyphenated or dotted unmarked
 * (`2024-01`, `01-2024`, `01.2024`): a week column of `2024-01` is a column of months (ISO writes
 * its weeks `2024-W01`, read as any date); those read as any date does.
 */
const weekThenYear = /^(\d{1,2})\s*\/\s*(\d{4})$|^KW\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})$/i;
const yearThenWeek = /^(\d{4})\s*\/\s*(\d{1,2})$|^(\d{4})\s*[/.\- ]\s*KW\s*(\d{1,2})$/i;

/**
 * The Monday of a numbered week (`01/2024`, `KW 01/2024`, `2024/01`), null for a week that does
 * not exist, undefined for a text of another shape (read as any date).
 */
export function weekNumberDay(text: string): number | null | undefined {
  const t = text.trim();
  let m = weekThenYear.exec(t);
  if (m) return isoWeekMonday(Number(m[2] ?? m[4]), Number(m[1] ?? m[3]));
  m = yearThenWeek.exec(t);
  if (m) return isoWeekMonday(Number(m[1] ?? m[3]), Number(m[2] ?? m[4]));
  return undefined;
}

/** The warning of a file whose week column's numbered weeks were read as ISO weeks: one, naming the first. */
export function weekNumbersWarning(column: string, example: string, day: number): string {
  return `the column '${column}' holds numbered weeks ('${example}'), read as ISO weeks by their Monday (${isoFromDay(day)}), not as months`;
}
