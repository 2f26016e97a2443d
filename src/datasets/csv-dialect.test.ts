import { describe, expect, it } from 'vitest';
import { csvDialect, CsvDialectError, inDialect } from './csv-dialect.js';
import { accuracyByHeader } from './accuracy.js';

async function all(chunks: Iterable<string>, options: Parameters<typeof csvDialect>[0]): Promise<string> {
  let out = '';
  for await (const c of inDialect(chunks, csvDialect(options))) out += c;
  return out;
}

const forecasts = 'sku,date,model,forecast,lo80,hi80,lo95,hi95,status\n' +
  '"München / 1.5",2026-11-02,ensemble+ets,25.596216,-3.5,40,1e-7,60.25,forecast\n' +
  '"say ""hi"", then ;",2026-11-09,ets,7,,,,,forecast\n';

describe('inDialect', () => {
  it('passes the default dialect through untouched', async () => {
    const chunks = [forecasts.slice(0, 10), forecasts.slice(10)];
    expect(await all(chunks, {})).toBe(forecasts);
  });

  it('writes ; and the decimal comma in the numeric columns only, with a byte order mark, for a German Excel', async () => {
    const out = await all([forecasts], { delimiter: 'semicolon', decimal: 'comma', bom: true });
    expect(out).toBe('\uFEFF' +
      'sku;date;model;forecast;lo80;hi80;lo95;hi95;status\n' +
      // the SKU keeps its point (a text column), the numbers get the comma
      'München / 1.5;2026-11-02;ensemble+ets;25,596216;-3,5;40;1e-7;60,25;forecast\n' +
      // a field holding the new delimiter is quoted; the comma no longer needs it
      '"say ""hi"", then ;";2026-11-09;ets;7;;;;;forecast\n');
  });

  it('reads records split anywhere across chunks, quoted newlines included', async () => {
    const text = 'sku,mae\n"A\nB",1.25\n"C ""q""",2.5\n';
    const whole = await all([text], { delimiter: 'tab', decimal: 'comma' });
    expect(whole).toBe('sku\tmae\n"A\nB"\t1,25\n"C ""q"""\t2,5\n');
    for (let cut = 1; cut < text.length; cut++) {
      expect(await all([text.slice(0, cut), text.slice(cut)], { delimiter: 'tab', decimal: 'comma' })).toBe(whole);
    }
    expect(await all(['sku,mae\nA,1.5'], { delimiter: ';' })).toBe('sku;mae\nA;1.5\n');
  });

  it('refuses a decimal comma in a comma-separated file, and unknown words, naming the parameter', () => {
    expect(() => csvDialect({ decimal: 'comma' })).toThrow(CsvDialectError);
    expect(() => csvDialect({ decimal: 'comma' })).toThrow(/needs another delimiter: add delimiter=semicolon/);
    expect(() => csvDialect({ delimiter: 'pipe' })).toThrow(expect.objectContaining({ field: 'delimiter' }));
    expect(() => csvDialect({ decimal: 'dot' })).toThrow(expect.objectContaining({ field: 'decimal' }));
    expect(csvDialect({ delimiter: ';', decimal: ',' })).toEqual({ delimiter: ';', decimal: ',', bom: false });
  });
});

describe("accuracy.csv's attribute column", () => {
  it('is prefixed when named like a numeric column, so a decimal-comma export leaves its values alone (was: an attribute `bias` of 1.5 written 1,5)', () => {
    expect(accuracyByHeader('Bias')).toBe('by_Bias');
    expect(accuracyByHeader('original')).toBe('by_original');
    expect(accuracyByHeader('model')).toBe('by_model');
    expect(accuracyByHeader('Store')).toBe('Store');
  });
});
