import { describe, expect, it } from 'vitest';
import { isoFromDay } from './date-parse.js';
import { excelSerialDay, serialDateHeaders } from './excel-serial.js';

const iso = (text: string) => {
  const day = excelSerialDay(text);
  return day === null ? null : isoFromDay(day);
};

describe('excelSerialDay', () => {
  it.each([['45292', '2024-01-01'], ['25569', '1970-01-01'], ['73050', '2099-12-31'], [' 45323 ', '2024-02-01']])('%s is %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  // Outside 1970-2099, with a time of day (a fraction), a sign or a thousands mark: not a date cell.
  it.each(['25568', '73051', '45292.5', '45292,0', '-45292', '+45292', '45.292', '4529', '2024', '20240101', ''])('%s is no serial date', (text) => {
    expect(iso(text)).toBeNull();
  });
});

describe('serialDateHeaders', () => {
  it('marks the serial dates of a wide header: three or more, left to right, at most a year apart', () => {
    expect(serialDateHeaders(['Item', '45292', '45323', '45352', 'Total'])).toEqual([false, true, true, true, false]);
    expect(serialDateHeaders(['Item', '45292', '45293', '45294', '45297'])).toEqual([false, true, true, true, true]);
  });

  it('is null for what may be a row of data rather than a header', () => {
    // A headerless long row (sku, serial date, a quantity in range) has only two.
    expect(serialDateHeaders(['A', '45292', '45300'])).toBeNull();
    // Not in calendar order, or further apart than a year: numbers, not periods.
    expect(serialDateHeaders(['Item', '45292', '45352', '45323'])).toBeNull();
    expect(serialDateHeaders(['Item', '30000', '45292', '45323'])).toBeNull();
    expect(serialDateHeaders(['Item', '45292', '45292', '45323'])).toBeNull();
  });
});
