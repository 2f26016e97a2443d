import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';

/**
 * `skucast import` (a real child process, a real SQLite file) on CSV shapes Excel and planners
 * write: a `sep=;` line before a European export with `31-Jan-2024` dates, a pivot table with its
 * totals, a German export whose dates lost their format, a file without a header, and a quote
 * never closed (refused, nothing stored).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverJs = path.join(root, 'server.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-cli-excel-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(dir, 'cli.db'), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [serverJs, 'import', file, '--no-jobs'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
}

async function stored(): Promise<Array<{ sku: string; dates: string[]; original: number[] }>> {
  const store = await openSqliteStore(path.join(dir, 'cli.db'));
  try {
    const dataset = (await store.latestDataset())!;
    return (await store.getSeriesMany(dataset.id)).map((s) => ({ sku: s.sku, dates: s.dates, original: s.original }));
  } finally {
    await store.close();
  }
}

async function datasetCount(): Promise<number> {
  const store = await openSqliteStore(path.join(dir, 'cli.db'));
  try {
    return (await store.listDatasets()).length;
  } finally {
    await store.close();
  }
}

describe('skucast import on Excel-shaped CSV', () => {
  it('a sep=; line, a BOM, CRLF, decimal commas and d-mmm-yyyy dates', async () => {
    const months = ['31-Jan-2024', '29-Feb-2024', '31-Mar-2024', '30-Apr-2024'];
    const text = `\ufeffsep=;\r\nItem;Date;Units\r\n${months.map((m, i) => `Müsli;${m};1.23${i},5`).join('\r\n')}\r\n`;
    const res = spawnOk(run('european.csv', text));
    expect(res.stdout).toContain('rows 4, SKUs 1, monthly (long), 2024-01-31 to 2024-04-30');
    expect(await stored()).toEqual([{ sku: 'Müsli', dates: ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'], original: [1230.5, 1231.5, 1232.5, 1233.5] }]);
  });

  it('a pivot-table export: Jan-24 headers, a Grand Total column and row dropped with a warning, a SKU with the word kept', async () => {
    const months = ['Jan-24', 'Feb-24', 'Mar-24', 'Apr-24', 'May-24', 'Jun-24'];
    const rows = [['A', 1, 2, 3, 4, 5, 6], ['TOTAL-CARE SHAMPOO', 10, 10, 10, 10, 10, 10]];
    const total = months.map((_, k) => rows.reduce((sum, r) => sum + (r[k + 1] as number), 0));
    const line = (cells: Array<string | number>) => [...cells, cells.slice(1).reduce((a: number, b) => a + (b as number), 0)].join(',');
    const text = [['Row Labels', ...months, 'Grand Total'].join(','), ...rows.map(line), line(['Grand Total', ...total])].join('\r\n');
    const res = spawnOk(run('pivot.csv', `${text}\r\n`));
    expect(res.stdout).toContain('rows 3, SKUs 2, monthly (wide), 2024-01-01 to 2024-06-01');
    expect(res.stdout).toContain("  warning: dropped the column 'Grand Total' as a pivot table's total, not a period");
    expect(res.stdout).toContain("  warning: dropped 'Grand Total' (6 values from line 4) as a pivot table's total, not a SKU: it comes after every other SKU and none is larger on any date; its values are the other SKUs' sum on 6 of 6 dates with sales");
    const dates = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01'];
    expect(await stored()).toEqual([
      { sku: 'A', dates, original: [1, 2, 3, 4, 5, 6] },
      { sku: 'TOTAL-CARE SHAMPOO', dates, original: [10, 10, 10, 10, 10, 10] },
    ]);
  });

  it('a German export whose dates lost their format: Artikelnummer, Datum as Excel serials, Menge', async () => {
    const serials = [45292, 45323, 45352, 45383];
    const text = `Artikelnummer;Filiale;Datum;Menge\r\n${serials.map((d, k) => `4711;Berlin;${d};${k + 1},5`).join('\r\n')}\r\n`;
    const res = spawnOk(run('german-serials.csv', text));
    expect(res.stdout).toContain('columns: sku=Artikelnummer, date=Datum, quantity=Menge');
    expect(res.stdout).toContain("warning: every date is a whole number from 25569 to 73050, read as an Excel serial date ('45292' as 2024-01-01)");
    expect(await stored()).toEqual([{ sku: '4711', dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], original: [1.5, 2.5, 3.5, 4.5] }]);
  });

  it('a file without a header keeps its first row', async () => {
    spawnOk(run('headerless.csv', 'A,2024-01,5\nA,2024-02,6\nA,2024-03,7\n'));
    expect((await stored())[0].original).toEqual([5, 6, 7]);
  });

  it('a quote never closed exits 1 naming its line, and stores nothing', async () => {
    const before = await datasetCount();
    const lines = ['sku,name,date,qty', ...Array.from({ length: 12 }, (_, i) => `S${i % 3},${i === 4 ? '"12 inch pipe' : 'Pipe'},2024-${String(1 + Math.floor(i / 3)).padStart(2, '0')},1`)];
    const res = run('unclosed.csv', `${lines.join('\n')}\n`);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^skucast import: line 6 opens a quoted field that is never closed/);
    expect(await datasetCount()).toBe(before);
  });
});

function spawnOk(res: ReturnType<typeof run>): ReturnType<typeof run> {
  expect(res.status, res.stderr).toBe(0);
  return res;
}
