import { describe, expect, it } from 'vitest';
import { readCsvDataset, type CsvReadOptions } from './csv-dataset-reader.js';

const base: CsvReadOptions = { fillGaps: 'zero', minLength: 0 };
const weeks = ['07.01.2024', '14.01.2024', '21.01.2024'];
const history = (extra: string[]) =>
  ['\uFEFFArtikelnummer;Filiale;Woche (Ende);Menge', ...weeks.flatMap((w) => [`A-1000;Nord;${w};10,0`, `A-1001;Süd;${w};5,5`]), ...extra, ''].join('\n');

/** An ERP export's closing total row (`Summe;;;;155446,0`): planner walkthrough, finding 10. */
describe('total rows: a SKU named like a total and no date', () => {
  it('sets the row aside and names its line in a warning of its own (was: "1 × date is empty (line 4331)", a rejected row)', async () => {
    const { series, report } = await readCsvDataset([history(['Summe;;;46,5'])], base);
    expect(series.map((s) => s.sku)).toEqual(['A-1000', 'A-1001']);
    expect(report.rejectedCount).toBe(0);
    expect(report.rejectedReasons).toEqual([]);
    expect(report.setAsideCount).toBe(1);
    expect(report.setAside).toEqual([{ reason: 'total row', count: 1, lines: [8] }]);
    expect(report.warnings).toContain("line 8 looks like a total row ('Summe', no date): skipped, not read as a SKU's sales");
    // Named once: not again in the set-aside warning of repeated headers and empty lines.
    expect(report.warnings.join('\n')).not.toMatch(/set aside as not data/);
  });

  it('recognises Total, Gesamt and Grand Total (any case, a trailing colon), several at once, and keeps the generic warning for the other lines set aside', async () => {
    const { report } = await readCsvDataset([history(['TOTAL:;;;46,5', ';;;', 'Gesamt;;;', 'grand total;Nord;;30'])], base);
    expect(report.rejectedCount).toBe(0);
    expect(report.setAsideCount).toBe(4);
    expect(report.warnings).toContain("3 lines look like total rows, with no date ('TOTAL:' on line 8; 'Gesamt' on line 10; 'grand total' on line 11): skipped, not read as a SKU's sales");
    expect(report.warnings).toContain('1 line set aside as not data: 1 empty line');
  });

  it('still rejects an empty date of a SKU not named like a total, and of a dataset\'s own SKU named so (actuals: knownSkus)', async () => {
    const other = await readCsvDataset([history(['Subtotal;;;46,5', 'A-1000;Nord;;3'])], base);
    expect(other.report.rejectedCount).toBe(2);
    expect(other.report.rejectedReasons).toMatchObject([{ reason: 'date is empty', count: 2, lines: [8, 9] }]);
    const known = await readCsvDataset([history(['Summe;;;46,5'])], { ...base, knownSkus: async (skus) => skus.filter((s) => s === 'Summe') });
    expect(known.report.rejectedReasons).toMatchObject([{ reason: 'date is empty', count: 1, lines: [8] }]);
    expect(known.report.warnings.join('\n')).not.toMatch(/total row/);
    // Its rejected line is its own: actuals never read that SKU as absent, nor give it 0.
    expect(known.rejectedSkus?.get('Summe')).toBe(8);
    // Asked about the label, as about a SKU named like a total with dates.
    let asked: string[] = [];
    await readCsvDataset([history(['Summe;;;46,5'])], { ...base, knownSkus: async (skus) => ((asked = skus), []) });
    expect(asked).toEqual(['Summe']);
  });

  it('counts a total row per block past the lines it names', async () => {
    const blocks = Array.from({ length: 7 }, () => 'Summe;;;1');
    const { report } = await readCsvDataset([history(blocks)], base);
    expect(report.setAside).toEqual([{ reason: 'total row', count: 7, lines: [8, 9, 10, 11, 12] }]);
    expect(report.warnings).toContain("7 lines look like total rows, with no date ('Summe' on lines 8, 9, 10, 11, 12, …): skipped, not read as a SKU's sales");
  });
});
