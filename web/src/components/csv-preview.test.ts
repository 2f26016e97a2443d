import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../api/types.js';
import { csvPreview, dryRunReport, DRY_RUN_BYTES, lastLineEnd, lookAtFile } from './csv-preview.js';

const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer)]);

describe('csvPreview', () => {
  it('finds the delimiter, the columns and a mapping guess', () => {
    const preview = csvPreview('\uFEFFItem;Month;Units\n"A;1";2024-01-01;5\nB;2024-01-01;7\n');
    expect(preview.delimiter).toBe(';');
    expect(preview.columns).toEqual(['Item', 'Month', 'Units']);
    expect(preview.rows[0]).toEqual(['A;1', '2024-01-01', '5']);
    expect(preview.guess).toEqual({ sku: 'Item', date: 'Month', quantity: 'Units' });
  });

  it("honours Excel's sep= line as the API does: the delimiter it names, and no row of its own", () => {
    const preview = csvPreview('sep=;\r\nFiliale;Artikelnummer;Datum;Menge;Preis;Kategorie\r\nF1;A-1;2024-01-01;5;1,5;Obst\r\n');
    expect(preview.delimiter).toBe(';');
    expect(preview.columns).toEqual(['Filiale', 'Artikelnummer', 'Datum', 'Menge', 'Preis', 'Kategorie']);
    expect(preview.rows).toEqual([['F1', 'A-1', '2024-01-01', '5', '1,5', 'Obst']]);
    expect(csvPreview('\uFEFFSEP=,\nsku,date,qty\nA,2024-01-01,1\n').columns).toEqual(['sku', 'date', 'qty']);
  });

  it('makes no guess when a column is not recognisable', () => {
    expect(csvPreview('a,b,c\n1,2,3').guess).toBeNull();
  });

  it('keeps a quoted line break inside its field', () => {
    expect(csvPreview('sku,date,qty\n"A\nB",2024-01-01,1\n').rows[0]).toEqual(['A\nB', '2024-01-01', '1']);
  });
});

describe('lookAtFile', () => {
  it('decodes a UTF-16 file by its byte order mark', async () => {
    const look = await lookAtFile(new Blob([utf16le('Product,Order Date,Quantity Ordered\nUSB,04/19/19 08:46,2\n')]));
    expect(look.kind).toBe('csv');
    expect(look.preview!.columns).toEqual(['Product', 'Order Date', 'Quantity Ordered']);
    expect(look.preview!.rows[0]).toEqual(['USB', '04/19/19 08:46', '2']);
    expect(look.partial).toBe(false);
  });

  it('recognises a binary file (a PNG) and previews nothing (was: a table of its bytes; planner walkthrough, finding 9)', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 5, 0x78, 0, 0, 3, 0xe8, 8, 2]);
    expect(await lookAtFile(new Blob([png]))).toMatchObject({ kind: 'csv', binary: true, preview: null, previewText: null });
    expect(await lookAtFile(new Blob([png]), 'windows-1252')).toMatchObject({ binary: true, preview: null });
    // A text file with a tab or a form feed is text.
    expect((await lookAtFile(new Blob(['sku\tdate\tqty\nA\t2024-01-01\t3\n\f']))).binary).toBeFalsy();
  });

  it('recognises an .xlsx (a zip) and previews nothing', async () => {
    const look = await lookAtFile(new Blob([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])]));
    expect(look).toMatchObject({ kind: 'xlsx', preview: null, partial: false });
  });

  it('dry-runs a large file on its first megabyte, cut after a whole line', async () => {
    const line = 'A,2024-01-01,1\n';
    const text = line.repeat(Math.ceil((DRY_RUN_BYTES * 1.5) / line.length));
    const look = await lookAtFile(new Blob([`sku,date,qty\n${text}`]));
    expect(look.partial).toBe(true);
    expect(look.sample.size).toBeLessThanOrEqual(DRY_RUN_BYTES);
    expect((await look.sample.text()).endsWith('1\n')).toBe(true);
  });

  it('finds the last UTF-16 line end', () => {
    const bytes = utf16le('a,b\nc,d\nef');
    expect(lastLineEnd(bytes, 'utf-16le')).toBe(2 + 8 * 2);
  });

  it('a dry run on the first megabyte does not blame the file for the partial period its own cut makes', () => {
    const report = { warnings: ['900 lines set aside as not data: 355 repeated headers, 545 empty lines', 'partial periods summed as if whole: the last (2019-03-01) has data from 2019-03-01 to 2019-03-12 only, 12 of its 31 days; ...'] } as ImportReport;
    expect(dryRunReport(report, true).warnings).toEqual([report.warnings[0]]);
    expect(dryRunReport(report, false)).toBe(report);
  });
});
