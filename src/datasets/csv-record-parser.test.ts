import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordParser, parseCsvText } from './csv-record-parser.js';

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field;
}

describe('CsvRecordParser', () => {
  it('reads quotes, escaped quotes, embedded line breaks and every line end', () => {
    const records = parseCsvText('a,"b,c","d ""e"""\r\n"multi\r\nline",x,\ry,z,w\n\nlast,1,2');
    expect(records).toEqual([
      { fields: ['a', 'b,c', 'd "e"'], line: 1 },
      { fields: ['multi\r\nline', 'x', ''], line: 2 },
      { fields: ['y', 'z', 'w'], line: 4 },
      { fields: ['last', '1', '2'], line: 6 },
    ]);
  });

  it('ends by naming the line of a quote never closed, without emitting the record that swallowed the rest', () => {
    const records: string[][] = [];
    const parser = new CsvRecordParser(',', (fields) => records.push(fields));
    parser.push('a,b\nx,"open\ny,z\n');
    expect(parser.end()).toBe(2);
    expect(records).toEqual([['a', 'b']]);
    const closed = new CsvRecordParser(',', () => {});
    closed.push('a,"b" c,"d');
    closed.push('"');
    expect(closed.end()).toBeNull();
  });

  it('gives the same records however the text is cut into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') });
    fc.assert(fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
      fc.constantFrom('\n', '\r\n'),
      (rows, cuts, eol) => {
        const text = rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
        const whole = parseCsvText(text);
        const chunked: Array<{ fields: string[]; line: number }> = [];
        const parser = new CsvRecordParser(',', (fields, line) => chunked.push({ fields, line }));
        let at = 0;
        for (let i = 0; at < text.length; i++) {
          const n = cuts[i % cuts.length];
          parser.push(text.slice(at, at + n));
          at += n;
        }
        parser.end();
        expect(chunked).toEqual(whole);
        expect(whole.map((r) => r.fields)).toEqual(rows);
      },
    ), { numRuns: 300 });
  });
});
