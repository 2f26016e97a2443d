import { describe, expect, it } from 'vitest';
import { numberExample, parseNumber } from './parse-number.js';

describe('parseNumber (the locale the app formats with)', () => {
  it('reads de-DE: comma decimals, dot groups', () => {
    expect(parseNumber('1234,5', 'de-DE')).toBe(1234.5);
    expect(parseNumber('2.790,4', 'de-DE')).toBe(2790.4);
    expect(parseNumber('1.234', 'de-DE')).toBe(1234);
    expect(parseNumber('1.234.567,25', 'de-DE')).toBe(1234567.25);
    expect(parseNumber(' 0,5 ', 'de-DE')).toBe(0.5);
    expect(parseNumber(',5', 'de-DE')).toBe(0.5);
    expect(parseNumber('42', 'de-DE')).toBe(42);
    expect(parseNumber('-3,5', 'de-DE')).toBe(-3.5);
  });

  it('refuses in de-DE what only another locale would read (never 12345 for 1234,5 nor 15 for 1.5)', () => {
    for (const text of ['1.5', '12.34', '0.500', '1,234.5', '1.23,4', '1,2,3', '2,790.4', '1.2345', '1e5', '12a', '', '-', ',', '1 234,5x'])
      expect(parseNumber(text, 'de-DE'), text).toBeNull();
  });

  it('reads en-US: dot decimals, comma groups', () => {
    expect(parseNumber('1,234.5', 'en-US')).toBe(1234.5);
    expect(parseNumber('1234.5', 'en-US')).toBe(1234.5);
    expect(parseNumber('1.234', 'en-US')).toBe(1.234);
    expect(parseNumber('1,234', 'en-US')).toBe(1234);
    for (const text of ['1234,5', '1,23', '2.790,4', '1,234,5'])
      expect(parseNumber(text, 'en-US'), text).toBeNull();
  });

  it('reads fr-FR with a typed space for its narrow no-break space, and refuses a dot', () => {
    expect(parseNumber('1 234,5', 'fr-FR')).toBe(1234.5);
    expect(parseNumber('1\u202f234,5', 'fr-FR')).toBe(1234.5);
    expect(parseNumber('1234,5', 'fr-FR')).toBe(1234.5);
    expect(parseNumber('1234.5', 'fr-FR')).toBeNull();
    expect(parseNumber('1 23,5', 'fr-FR')).toBeNull();
  });

  it("reads de-CH's apostrophe groups and en-IN's lakh groups", () => {
    expect(parseNumber("1'234.5", 'de-CH')).toBe(1234.5);
    expect(parseNumber('1’234.5', 'de-CH')).toBe(1234.5);
    expect(parseNumber('1,5', 'de-CH')).toBeNull();
    expect(parseNumber('12,34,567.5', 'en-IN')).toBe(1234567.5);
    expect(parseNumber('1,234', 'en-IN')).toBe(1234);
    expect(parseNumber('1,234,567', 'en-IN')).toBeNull();
  });

  it("reads a locale's own digits (ar-EG) as well as 0-9", () => {
    expect(parseNumber('١٬٢٣٤٫٥', 'ar-EG')).toBe(1234.5);
    expect(parseNumber('1234٫5', 'ar-EG')).toBe(1234.5);
  });

  it('gives an example of the locale’s way for the message', () => {
    expect(numberExample('de-DE')).toBe('1.234,5');
    expect(numberExample('en-US')).toBe('1,234.5');
  });
});
