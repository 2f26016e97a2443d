import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvQuoteError, CsvRecordParser, parseCsvText } from './csv-record-parser.js';

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

  it('reads a quote left open in the last field as closed when it swallowed no line', () => {
    for (const text of ['a,b\nx,"3', 'a,b\nx,"3\n', 'a,b\r\nx,"3\r\n']) {
      const records: string[][] = [];
      const parser = new CsvRecordParser(',', (fields) => records.push(fields));
      parser.push(text);
      expect(parser.end(), JSON.stringify(text)).toBeNull();
      expect(records).toEqual([['a', 'b'], ['x', '3']]);
    }
    const swallowing = new CsvRecordParser(',', () => {});
    swallowing.push('a,b\nx,"3\ny,4\n');
    expect(swallowing.end()).toBe(2);
  });

  it('refuses a quoted field that spans lines and has text after its closing quote: two stray quotes, however the text is cut', () => {
    // Rows 2 and 4 each open a quote: the second closes the first, and `12 inch` follows it.
    const text = 'a,b\nx,"12 inch pipe\ny,1\nz,"12 inch pipe\nw,2\n';
    for (const size of [text.length, 1, 2, 3]) {
      const parser = new CsvRecordParser(',', () => {});
      let error: unknown = null;
      try {
        for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
        parser.end();
      } catch (e) {
        error = e;
      }
      expect(error, `chunks of ${size}`).toBeInstanceOf(CsvQuoteError);
      expect(error).toMatchObject({ line: 2, closedOn: 4 });
    }
    // Closed at a delimiter or a line end, a field spanning lines is a field.
    expect(parseCsvText('a,"b\nc",d\n"e\nf"\n').map((r) => r.fields)).toEqual([['a', 'b\nc', 'd'], ['e\nf']]);
    const closedLast = new CsvRecordParser(',', () => {});
    closedLast.push('"b\nc"');
    expect(closedLast.end()).toBeNull();
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
