import { describe, expect, it } from 'vitest';
import { normalizeHeader } from './column-mapping.js';
import { isPeriodEndColumn } from './period-end-column.js';

describe('isPeriodEndColumn', () => {
  it('knows the names exports give a column of the periods\' last days, whatever their case and separators', () => {
    for (const name of ['week_ending', 'Week Ending', 'WEEK-ENDING', 'WeekEnding', 'weekending', 'week_end', 'wk_end', 'Wk Ending', 'week_ended', 'Week Ending Date', 'week_end_date', 'period_end', 'Period Ending', 'W/E', 'W/E Date', 'end_of_week', 'End Date']) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(true);
    }
  });

  it('leaves other date columns alone', () => {
    for (const name of ['week', 'date', 'week_start', 'Week Beginning', 'KW', 'period', 'order_date', 'Kalenderwoche', 'week_number', 'Legend', 'Vendor']) {
      expect(isPeriodEndColumn(normalizeHeader(name)), name).toBe(false);
    }
  });
});
