import { describe, expect, it } from 'vitest';
import { chooseDayOrder, compileDateFormat, isoFromDay, parseDateAuto } from './date-parse.js';

const iso = (text: string, order: 'dmy' | 'mdy' = 'dmy') => {
  const day = parseDateAuto(text, order);
  return day === null ? null : isoFromDay(day);
};

describe('parseDateAuto', () => {
  it.each([
    ['2023-03-04', '2023-03-04'], ['2023/3/4', '2023-03-04'], ['2023-03-04T10:00:00Z', '2023-03-04'],
    ['2023-03-04 00:00:00', '2023-03-04'], ['20230304', '2023-03-04'], ['04.03.2023', '2023-03-04'],
    ['2023-03', '2023-03-01'], ['03/2023', '2023-03-01'], ['Mar 2023', '2023-03-01'], ['March 2023', '2023-03-01'],
    ['4 Mar 2023', '2023-03-04'], ['Mar 4, 2023', '2023-03-04'], ['2023-Mar', '2023-03-01'],
    ['2023-Q2', '2023-04-01'], ['Q4 2023', '2023-10-01'], ['2023-W01', '2023-01-02'], ['2024-W01', '2024-01-01'], ['2023', '2023-01-01'],
  ])('%s is %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each(['', 'yesterday', '2023-02-30', '2023-13-01', '31/31/2023', 'Foo 2023', '2023-W60', '12345'])('%s does not parse', (text) => {
    expect(iso(text)).toBeNull();
  });

  it('reads n/n/yyyy in the order given', () => {
    expect(iso('03/04/2023', 'dmy')).toBe('2023-04-03');
    expect(iso('03/04/2023', 'mdy')).toBe('2023-03-04');
  });
});

describe('chooseDayOrder', () => {
  it('decides by a number over 12, then by which part never changes', () => {
    expect(chooseDayOrder(['13/01/2023', '01/02/2023']).order).toBe('dmy');
    expect(chooseDayOrder(['01/13/2023', '02/01/2023']).order).toBe('mdy');
    expect(chooseDayOrder(['01/01/2023', '01/02/2023', '01/03/2023']).order).toBe('dmy');
    expect(chooseDayOrder(['01/01/2023', '02/01/2023', '03/01/2023']).order).toBe('mdy');
    expect(chooseDayOrder(['01/02/2023', '02/03/2023'])).toEqual({ order: 'dmy', ambiguous: true, conflicting: false });
  });
});

describe('compileDateFormat', () => {
  it('parses the tokens it is given and nothing else', () => {
    expect(isoFromDay(compileDateFormat('MM/DD/YYYY')('03/04/2023')!)).toBe('2023-03-04');
    expect(isoFromDay(compileDateFormat('DD-MMM-YYYY')('04-Mar-2023')!)).toBe('2023-03-04');
    expect(isoFromDay(compileDateFormat('YYYY-Q')('2023-2')!)).toBe('2023-04-01');
    expect(isoFromDay(compileDateFormat('WW/YYYY')('01/2024')!)).toBe('2024-01-01');
    expect(compileDateFormat('MM/DD/YYYY')('2023-03-04')).toBeNull();
    expect(() => compileDateFormat('DD/MM')).toThrow(/YYYY/);
  });
});
