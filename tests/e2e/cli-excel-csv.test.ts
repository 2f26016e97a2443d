import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';

/**
 * `skucast import` (a real child process, a real SQLite file) on CSV shapes Excel and planners
 * write: a `sep=;` line before a European export with `31-Jan-2024` dates, a file without a
 * header, and a quote never closed (refused, nothing stored).
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
