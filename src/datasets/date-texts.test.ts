import { describe, expect, it } from 'vitest';
import { dayFromIso } from './date-parse.js';
import { DateTexts } from './date-texts.js';
import { LineLedger, REJECTED_CAP } from './line-ledger.js';

describe('DateTexts', () => {
  it('interns a date once whatever its time, and reads n/n/yyyy by the order the whole file settles', () => {
    const dates = new DateTexts(undefined, undefined, () => {});
    const first = dates.intern('03/04/2024 08:15', 2);
    expect(dates.intern('03/04/2024 17:40', 3)).toBe(first);
    // Only this later date tells the file is day-first.
    const later = dates.intern('25/04/2024', 4);
    const ledger = new LineLedger();
    const { dayOf, numberedWeeks } = dates.resolve(ledger);
    expect(dayOf[first!]).toBe(dayFromIso('2024-04-03'));
    expect(dayOf[later!]).toBe(dayFromIso('2024-04-25'));
    expect(numberedWeeks).toBe(false);
    expect(dates.dayOrder).toBe('dmy');
    // A rejected line's date is read the same way, known or not.
    expect(dates.dayOfRaw('03/04/2024', dayOf)).toBe(dayFromIso('2024-04-03'));
    expect(dates.dayOfRaw('05/04/2024', dayOf)).toBe(dayFromIso('2024-04-05'));
    expect(ledger.report().rejectedCount).toBe(0);
  });

  it('rejects every line of a date that does not parse into the ledger, counting those past the lines kept', () => {
    const dates = new DateTexts(undefined, undefined, () => {});
    dates.intern('2024-01-01', 2);
    const lines = REJECTED_CAP + 3;
    for (let i = 0; i < lines; i++) dates.intern('soon', 10 + i);
    const ledger = new LineLedger();
    const { dayOf } = dates.resolve(ledger);
    expect(Number.isNaN(dayOf[1])).toBe(true);
    const report = ledger.report();
    expect(report.rejectedCount).toBe(lines);
    expect(report.rejectedReasons).toEqual([{ reason: 'date does not parse', count: lines, lines: [10, 11, 12, 13, 14], example: "date 'soon' does not parse" }]);
    expect(dates.dayOfRaw('soon', dayOf)).toBeNull();
  });

  it('under a dateFormat, refuses a date as it comes, warning once when it is an Excel serial', () => {
    const warnings: string[] = [];
    const dates = new DateTexts('DD.MM.YYYY', undefined, (w) => warnings.push(w));
    const d = dates.intern('03.04.2024', 2);
    expect(d).not.toBeNull();
    expect(dates.intern('45390', 3)).toBeNull();
    expect(dates.intern('45391', 4)).toBeNull();
    expect(dates.intern('2024-04-03', 5)).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^dates like '45390' do not parse by dateFormat 'DD\.MM\.YYYY' but look like Excel serial dates/);
    const { dayOf } = dates.resolve(new LineLedger());
    expect(dayOf[d!]).toBe(dayFromIso('2024-04-03'));
    expect(dates.dayOfRaw('04.04.2024', dayOf)).toBe(dayFromIso('2024-04-04'));
  });
});
