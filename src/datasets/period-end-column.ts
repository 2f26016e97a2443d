import type { Frequency } from './dataset.js';
import { weekdayIndex, weekdays, type Weekday } from './period-grid.js';

/**
 * A date column named for the last day of its periods: `week_ending`, `Week Ending`, `wk_end`,
 * `W/E`, `period_end`. Retail and syndicated exports date a week by the day it ends
 * (a Sunday, or the Saturday of a Sunday week); read by its weekday alone such a file made weeks
 * that start on that day, so a week of daily actuals from Monday to Sunday was cut in two. Under
 * such a name the weeks end on the dates' weekday instead (SeriesAccumulator.setPeriodEndColumn).
 * Matched on the normalized header (column-mapping.ts: lower case, no spaces, `_`, `-` or `.`).
 */
const periodEndHeader = /^(?:(?:week|wk|period|fiscalweek|fiscalperiod)(?:ending|ended|end)|w\/e|endof(?:week|period))(?:date|day)?$/;

/**
 * The same in German, French, Spanish and Dutch exports: `Woche (Ende)`, `KW-Ende`, `Periodenende`,
 * `semaine se terminant le`, `fin de la semaine`; `semana que termina`; `week eindigend op`. A German file's `Woche (Ende)` of Sundays was read
 * as weeks starting on Sunday while `Week Ending` was not (planner walkthrough, finding 6). Never
 * the words for the weekend, which may date a week by its Saturday that opens or closes it:
 * `Wochenende`, `fin de semaine` (the weekend in Quebec), `fin de semana`, `weekeinde` (so not
 * Dutch `week (einde)` either, the same letters). Nor a bare "end date" (`End Date`, `Enddatum`,
 * `date de fin`, `fecha (de) fin`, `einddatum`) without a week or period word: a promotion's or a
 * price's validity ends under such names, and mapped as the date it moved weekly dates by 6 days
 * with only a remark (R review finding 11).
 */
const foreignPeriodEndHeader = new RegExp('^(?:' + [
  // German: Woche Ende, Woche endet, KW-Ende, Kalenderwoche Ende, Periode Ende, Periodenende, Ende der Woche.
  '(?:woche|kw|kalenderwoche|periode)(?:ende|endet|endend(?:am)?)', 'periodenende', 'ende(?:der)?(?:woche|kw|kalenderwoche|periode)',
  // French: semaine se terminant le, semaine finissant le, semaine terminée, semaine (fin), fin de la semaine, fin de période.
  'semaine(?:seterminant|finissant|terminée|terminee|fin)(?:le)?', 'findelasemaine', 'fin(?:de)?(?:la)?(?:période|periode)',
  // Spanish: semana que termina (el), semana terminada (el), semana (fin), fin de(l) período.
  'semana(?:quetermina(?:el)?|terminada(?:el)?|fin)', 'fin(?:de|del)?(?:período|periodo)',
  // Dutch: week eindigend (op), einde (van de) week, einde periode, periode einde.
  'weekeindigend(?:op)?', 'einde(?:van)?(?:de)?(?:week|periode)', 'periodeeinde',
].join('|') + ')(?:datum|date|fecha)?$');

/** Whether a normalized header names the periods' last days; brackets are ignored (`Woche (Ende)`, `Week (Ending)`). */
export function isPeriodEndColumn(normalizedHeader: string): boolean {
  const header = normalizedHeader.replace(/[()[\]]/g, '');
  return periodEndHeader.test(header) || foreignPeriodEndHeader.test(header);
}

/**
 * Weeks dated by their last day (a `week_ending` column of Sundays) start the day after it, so
 * a week of daily actuals Monday to Sunday is one week, not parts of two. Only for weekly dates
 * all on one weekday (dates of several weekdays leave the weeks to periodGrid); a weekStart given
 * wins. Said also when the weekStart given is this one: the web app sends back the weekday its
 * dry run reported, and the stored report should still say why. `column`: the date column when
 * isPeriodEndColumn (null: none); the weeks' first day and the warning that says so, or undefined.
 */
export function weekStartAfterEnds(column: string | null, frequency: Frequency, usedDays: Set<number>, given: { weekStart?: Weekday; partialInside?: boolean }): { start: Weekday; warning: string } | undefined {
  // Actuals are summed into their dataset's weeks (given as weekStart): nothing to choose or say.
  if (frequency !== 'weekly' || column === null || usedDays.size === 0 || given.partialInside) return undefined;
  const found = new Set([...usedDays].map(weekdayIndex));
  if (found.size !== 1) return undefined;
  const end = weekdays[[...found][0]];
  const start = weekdays[([...found][0] + 1) % 7];
  if (given.weekStart !== undefined && given.weekStart !== start) return undefined;
  return { start, warning: `the column '${column}' dates each week by its last day, a ${end}: read as weeks from ${start} to ${end}, each dated by its ${start} (weekStart=${start}; give weekStart to choose another)` };
}
