/**
 * A date column named for the last day of its periods: `week_ending`, `Week Ending`, `wk_end`,
 * `W/E`, `period_end`, `End Date`. Retail and syndicated exports date a week by the day it ends
 * (a Sunday, or the Saturday of a Sunday week); read by its weekday alone such a file made weeks
 * that start on that day, so a week of daily actuals from Monday to Sunday was cut in two. Under
 * such a name the weeks end on the dates' weekday instead (SeriesAccumulator.setPeriodEndColumn).
 * Matched on the normalized header (column-mapping.ts: lower case, no spaces, `_`, `-` or `.`).
 */
const periodEndHeader = /^(?:(?:week|wk|period|fiscalweek|fiscalperiod)(?:ending|ended|end)|w\/e|endof(?:week|period)|end)(?:date|day)?$/;

/**
 * The same in German, French, Spanish and Dutch exports: `Woche (Ende)`, `KW-Ende`, `Periodenende`,
 * `Enddatum`; `semaine se terminant le`, `fin de la semaine`, `date de fin`; `semana que termina`,
 * `fecha fin`; `week eindigend op`, `einddatum`. A German file's `Woche (Ende)` of Sundays was read
 * as weeks starting on Sunday while `Week Ending` was not (planner walkthrough, finding 6). Never
 * the words for the weekend, which may date a week by its Saturday that opens or closes it:
 * `Wochenende`, `fin de semaine` (the weekend in Quebec), `fin de semana`, `weekeinde` (so not
 * Dutch `week (einde)` either, the same letters).
 */
const foreignPeriodEndHeader = new RegExp('^(?:' + [
  // German: Woche Ende, Woche endet, KW-Ende, Kalenderwoche Ende, Periode Ende, Periodenende, Ende der Woche, Enddatum.
  '(?:woche|kw|kalenderwoche|periode)(?:ende|endet|endend(?:am)?)', 'periodenende', 'ende(?:der)?(?:woche|kw|kalenderwoche|periode)', 'enddatum',
  // French: semaine se terminant le, semaine finissant le, semaine terminée, semaine (fin), fin de la semaine, fin de période, date de fin.
  'semaine(?:seterminant|finissant|terminée|terminee|fin)(?:le)?', 'findelasemaine', 'fin(?:de)?(?:la)?(?:période|periode)', 'datedefin',
  // Spanish: semana que termina (el), semana terminada (el), semana (fin), fecha (de) fin(al), fin de(l) período.
  'semana(?:quetermina(?:el)?|terminada(?:el)?|fin)', 'fecha(?:de)?fin(?:al)?', 'fin(?:de|del)?(?:período|periodo)',
  // Dutch: week eindigend (op), einde (van de) week, einde periode, periode einde, einddatum.
  'weekeindigend(?:op)?', 'einde(?:van)?(?:de)?(?:week|periode)', 'periodeeinde', 'einddatum',
].join('|') + ')(?:datum|date|fecha)?$');

/** Whether a normalized header names the periods' last days; brackets are ignored (`Woche (Ende)`, `Week (Ending)`). */
export function isPeriodEndColumn(normalizedHeader: string): boolean {
  const header = normalizedHeader.replace(/[()[\]]/g, '');
  return periodEndHeader.test(header) || foreignPeriodEndHeader.test(header);
}
