import { describe, expect, it } from 'vitest';
import { normalizeHeader } from './column-mapping.js';
import { dayFromIso } from './date-parse.js';
import { isPeriodEndColumn, weekStartAfterEnds } from './period-end-column.js';

describe('isPeriodEndColumn', () => {
  it('knows the names exports give a column of the periods\' last days, whatever their case and separators', () => {
    for (const name of ['week_ending', 'Week Ending', 'WEEK-ENDING', 'WeekEnding', 'weekending', 'week_end', 'wk_end', 'Wk Ending', 'week_ended', 'Week Ending Date', 'week_end_date', 'period_end', 'Period Ending', 'W/E', 'W/E Date', 'end_of_week']) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(true);
    }
  });

  it('knows them in German, French, Spanish and Dutch exports, brackets and all (was: `Woche (Ende)` of Sundays read as weeks starting on Sunday; planner walkthrough, finding 6)', () => {
    for (const name of [
      'Woche (Ende)', 'Woche Ende', 'Woche-Ende', 'KW-Ende', 'KW (Ende)', 'Kalenderwoche Ende', 'Woche endet', 'Woche endend am', 'Periodenende', 'Periode Ende', 'Ende der Woche', 'Ende KW', 'Woche Ende Datum',
      'Semaine se terminant le', 'semaine_finissant_le', 'Semaine terminée', 'Semaine (fin)', 'Fin de la semaine', 'Fin de période',
      'Semana que termina', 'Semana que termina el', 'Semana terminada', 'Semana (fin)', 'Fin del periodo', 'Fin de período',
      'Week eindigend op', 'Week eindigend', 'Einde week', 'Einde van de week', 'Einde periode', 'Periode einde',
      'Week (Ending)',
    ]) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(true);
    }
  });

  it('never reads the words for the weekend as the week\'s end (a Saturday may open the week or close it), nor a start', () => {
    for (const name of ['Wochenende', 'Wochenendedatum', 'Wochenende (Datum)', 'Fin de semaine', 'fin_de_semana', 'Weekeinde', 'Week (Einde)', 'Woche', 'Wochenbeginn', 'Woche (Beginn)', 'Semaine', 'début de semaine', 'Semana', 'inicio de semana', 'Week begint', 'Ende', 'Fin']) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(false);
    }
  });

  it('never reads a bare "end date" without a week or period word as the week\'s end: a promotion\'s or a validity\'s end (R review finding 11: mapped as the date, weekly dates moved by 6 days with only a remark)', () => {
    for (const name of ['End Date', 'end_date', 'End', 'Enddatum', 'End-Datum', 'Date de fin', 'date_fin', 'Fecha fin', 'Fecha de fin', 'Fecha final', 'Einddatum', 'Promo Enddatum', 'Gültig bis']) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(false);
    }
  });

  it('leaves other date columns alone', () => {
    for (const name of ['week', 'date', 'week_start', 'Week Beginning', 'KW', 'period', 'order_date', 'Kalenderwoche', 'week_number', 'Legend', 'Vendor']) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(false);
    }
  });
});

describe('a German weekly export dated by its weeks\' Sundays under `Woche (Ende)`', () => {
  it('is read as Monday-to-Sunday weeks dated by their Mondays, and says so, as `Week Ending` is (was: weeks starting on Sunday, no remark)', async () => {
    const { readCsvDataset } = await import('./csv-dataset-reader.js');
    const sundays = ['07.01.2024', '14.01.2024', '21.01.2024', '28.01.2024'];
    const csv = ['Artikelnummer;Filiale;Woche (Ende);Menge', ...sundays.map((d, k) => `A-1000;Nord;${d};${10 + k},0`), ''].join('\n');
    const { series, report } = await readCsvDataset([csv], { fillGaps: 'zero', minLength: 0 });
    expect(report.weekStart).toBe('monday');
    expect(series[0].dates).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22']);
    expect(report.warnings).toContain("the column 'Woche (Ende)' dates each week by its last day, a sunday: read as weeks from monday to sunday, each dated by its monday (weekStart=monday; give weekStart to choose another)");
  });
});

describe('weekStartAfterEnds', () => {
  const saturdays = new Set(['2024-01-06', '2024-01-13', '2024-01-20'].map(dayFromIso));

  it('starts the weeks the day after a period-end column\'s one weekday, saying so, also when that weekStart is given', () => {
    const expected = { start: 'sunday', warning: "the column 'W/E' dates each week by its last day, a saturday: read as weeks from sunday to saturday, each dated by its sunday (weekStart=sunday; give weekStart to choose another)" };
    expect(weekStartAfterEnds('W/E', 'weekly', saturdays, {})).toEqual(expected);
    expect(weekStartAfterEnds('W/E', 'weekly', saturdays, { weekStart: 'sunday' })).toEqual(expected);
  });

  it('leaves the weeks alone without such a column, for other weekStarts, several weekdays, other frequencies or actuals', () => {
    expect(weekStartAfterEnds(null, 'weekly', saturdays, {})).toBeUndefined();
    expect(weekStartAfterEnds('W/E', 'weekly', saturdays, { weekStart: 'monday' })).toBeUndefined();
    expect(weekStartAfterEnds('W/E', 'weekly', new Set([...saturdays, dayFromIso('2024-01-28')]), {})).toBeUndefined();
    expect(weekStartAfterEnds('W/E', 'monthly', saturdays, {})).toBeUndefined();
    expect(weekStartAfterEnds('W/E', 'weekly', saturdays, { partialInside: true })).toBeUndefined();
  });
});
