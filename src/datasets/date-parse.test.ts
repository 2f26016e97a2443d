import { describe, expect, it } from 'vitest';
import { chooseDayOrder, compileDateFormat, dayOrderOfFormat, isoFromDay, parseDateAuto } from './date-parse.js';

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

  // Excel's d-mmm-yyyy and mmm-yyyy date formats, as its CSV export writes them.
  it.each([['31-Jan-2024', '2024-01-31'], ['4-Mar-2023', '2023-03-04'], ['Jan-2024', '2024-01-01'], ['March-2024', '2024-03-01']])(
    'reads the hyphenated month name %s as %s', (text, expected) => {
      expect(iso(text)).toBe(expected);
    },
  );

  // Excel's mmm-yy and mmmm-yy month formats (its default for a month in an English locale).
  it.each([['Jan-24', '2024-01-01'], ['Dec-99', '1999-12-01'], ['Sept-23', '2023-09-01'], ['January-24', '2024-01-01'], ['jan-24', '2024-01-01']])(
    'reads the two-digit-year month %s as %s', (text, expected) => {
      expect(iso(text)).toBe(expected);
    },
  );

  // A German export's month names: German Excel's mmm-yy and mmmm-yy, and in the other month forms.
  it.each([
    ['Mrz-24', '2024-03-01'], ['Mär-24', '2024-03-01'], ['März-24', '2024-03-01'], ['Mai-24', '2024-05-01'], ['Juni-24', '2024-06-01'],
    ['Juli-24', '2024-07-01'], ['Okt-24', '2024-10-01'], ['Dez-24', '2024-12-01'], ['Dezember-24', '2024-12-01'], ['Jän-24', '2024-01-01'],
    ['MRZ-24', '2024-03-01'], ['Mai 2024', '2024-05-01'], ['Okt. 2024', '2024-10-01'], ['3 Okt 2024', '2024-10-03'],
  ])('reads the German month %s as %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  // A day of a month without its year (`May 24`, `24-May`, as typed or Excel's d-mmm): no year to read.
  it.each(['May 24', '24-May', 'Jan-2', 'Jan-245', 'Foo-24', 'Jan-24 08:00'])('%s is no month', (text) => {
    expect(iso(text)).toBeNull();
  });

  it.each(['Jan*2024', 'Jan)2024', "Jan'2024", 'Jan+2024'])('%s is no date (only spaces, commas and hyphens part a month from its year)', (text) => {
    expect(iso(text)).toBeNull();
  });
});

describe('chooseDayOrder', () => {
  it('decides by a number over 12, then by which part never changes', () => {
    expect(chooseDayOrder(['13/01/2023', '01/02/2023']).order).toBe('dmy');
    expect(chooseDayOrder(['01/13/2023', '02/01/2023']).order).toBe('mdy');
    expect(chooseDayOrder(['01/01/2023', '01/02/2023', '01/03/2023']).order).toBe('dmy');
    expect(chooseDayOrder(['01/01/2023', '02/01/2023', '03/01/2023']).order).toBe('mdy');
    expect(chooseDayOrder(['01/02/2023', '02/03/2023'])).toMatchObject({ order: 'dmy', ambiguous: true, conflicting: false, found: true, settled: false });
  });

  it('flags a file of one ambiguous date as ambiguous, and one that reads the same either way as not', () => {
    expect(chooseDayOrder(['04/01/2024'])).toMatchObject({ order: 'dmy', ambiguous: true, settled: false, example: '04/01/2024' });
    expect(chooseDayOrder(['04/01/2024', '04/01/2024 10:00'])).toMatchObject({ ambiguous: true });
    expect(chooseDayOrder(['01/01/2024'])).toMatchObject({ ambiguous: false, settled: false, found: true });
  });

  it('says whether a number over 12 settled it, and whether the file had such dates at all', () => {
    expect(chooseDayOrder(['01/13/2023', '04/01/2023'])).toMatchObject({ order: 'mdy', settled: true, example: '04/01/2023' });
    expect(chooseDayOrder(['01/01/2023', '01/02/2023'])).toMatchObject({ order: 'dmy', settled: false });
    expect(chooseDayOrder(['2023-01-04', '04.01.2023'])).toMatchObject({ found: false, settled: false, ambiguous: false });
  });
});

describe('dayOrderOfFormat', () => {
  it.each([
    ['DD/MM/YYYY', 'dmy'], ['MM/DD/YY HH:mm', 'mdy'], ['M/D/YYYY', 'mdy'], ['DD.MM.YYYY', 'dmy'],
    ['YYYY-MM-DD', null], ['MMM YYYY', null], ['MM/YYYY', null], ['DD/DD/YYYY', null],
  ] as const)('%s reads n/n/yyyy as %s', (format, order) => {
    expect(dayOrderOfFormat(format)).toBe(order);
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

describe('dates with a time and two-digit years', () => {
  it.each([
    ['04/19/19 08:46', 'mdy', '2019-04-19'], ['2019-04-19T08:46:00Z', 'dmy', '2019-04-19'], ['19.04.2019 08:46', 'mdy', '2019-04-19'],
    ['2019-04-19 23:59:59.999+02:00', 'dmy', '2019-04-19'], ['4/19/2019 8:46 PM', 'mdy', '2019-04-19'], ['19/04/19', 'dmy', '2019-04-19'],
    ['01/02/68', 'dmy', '2068-02-01'], ['01/02/69', 'dmy', '1969-02-01'], ['20190419 08:46', 'dmy', '2019-04-19'],
    ['4 Mar 2023 10:00', 'dmy', '2023-03-04'], ['19.04.19 08:46:10', 'dmy', '2019-04-19'],
  ] as const)('%s (%s) is %s', (text, order, expected) => {
    expect(iso(text, order)).toBe(expected);
  });

  it.each(['04/19/19 25:00', '04/19/19 08:61', '04/19/19 13:00 PM', '2023-03 08:00', 'Q1 2023 10:00', '2023 08:00', '04/19/1 08:46', '2019-04-19 24:30', '2019-04-19T24:00:01'])('%s does not parse', (text) => {
    expect(iso(text, 'mdy')).toBeNull();
  });

  it('decides the day order from dates that carry a time', () => {
    expect(chooseDayOrder(['04/19/19 08:46', '04/07/19 22:30']).order).toBe('mdy');
  });

  it('takes YY, HH, mm and ss in an explicit format and checks the time', () => {
    const parse = compileDateFormat('MM/DD/YY HH:mm');
    expect(isoFromDay(parse('04/19/19 08:46')!)).toBe('2019-04-19');
    expect(parse('04/19/19 08:60')).toBeNull();
    expect(isoFromDay(compileDateFormat('DD.MM.YYYY HH:mm:ss')('19.04.2019 23:59:59')!)).toBe('2019-04-19');
    expect(compileDateFormat('DD.MM.YYYY HH:mm:ss')('19.04.2019 24:59:99')).toBeNull();
    expect(compileDateFormat('DD.MM.YYYY HH:mm')('19.04.2019 24:30')).toBeNull();
    expect(isoFromDay(compileDateFormat('DD.MM.YYYY HH:mm')('19.04.2019 24:00')!)).toBe('2019-04-19');
    expect(isoFromDay(compileDateFormat('YY-MM')('70-01')!)).toBe('1970-01-01');
    expect(() => compileDateFormat('DD/MM HH:mm')).toThrow(/YYYY/);
  });
});
