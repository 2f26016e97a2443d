import { describe, expect, it } from 'vitest';
import { csvField } from './csv-field.js';

describe('csvField', () => {
  it('quotes only where RFC 4180 needs it', () => {
    expect(csvField('A')).toBe('A');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('neutralizes text a spreadsheet would run as a formula with a leading quote (CSV injection)', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe("\"'\rx\"");
    // Prefixed first, then quoted: the quote is inside the field, where the spreadsheet reads it.
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    // Only the first character counts.
    expect(csvField('A=B')).toBe('A=B');
    expect(csvField('ets+theta')).toBe('ets+theta');
  });

  it('never alters a number, nor text that is only a number', () => {
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField(-0.1234567)).toBe('-0.123457');
    expect(csvField(0)).toBe('0');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField('-100')).toBe('-100');
    expect(csvField('+1.5')).toBe('+1.5');
    expect(csvField('-1e5')).toBe('-1e5');
    expect(csvField('2024-01-31')).toBe('2024-01-31');
  });
});
