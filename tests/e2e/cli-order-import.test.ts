import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderExportText, utf16le } from '../../src/datasets/testing/order-export.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';

/** `skucast import` (a real child process) on real-world files: a UTF-16 order export, an .xlsx, bad options. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverJs = path.join(root, 'server.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-cli-orders-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(dir, 'cli.db'), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [serverJs, 'import', ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
}

describe('skucast import on order-line exports', () => {
  it('a UTF-16 export with --frequency monthly: the SKUs, the junk set aside, exact sums', async () => {
    const { text, answer } = orderExportText({ lines: 3000, repeatedHeaders: 2, emptyLines: 3, seed: 99 });
    const file = path.join(dir, 'orders.csv');
    writeFileSync(file, utf16le(text));
    const res = run([file, '--frequency', 'monthly', '--no-jobs']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain(`rows 3000, SKUs ${answer.monthly.size}, monthly (long)`);
    expect(res.stdout).toMatch(/set aside \(not data\) 2 x repeated header \(lines \d+, \d+\)/);
    expect(res.stdout).toMatch(/set aside \(not data\) 3 x empty line \(lines \d+, \d+, \d+\)/);
    const store = await openSqliteStore(path.join(dir, 'cli.db'));
    try {
      const dataset = (await store.latestDataset())!;
      for (const s of await store.getSeriesMany(dataset.id)) {
        for (const [month, sum] of answer.monthly.get(s.sku)!) expect(s.original[s.dates.indexOf(month)], `${s.sku} ${month}`).toBe(sum);
      }
    } finally {
      await store.close();
    }
  });

  it('an .xlsx by --sheet; a missing sheet, a bad --mapping and a bad --week-start exit 1 with the reason', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Cover').addRow(['nothing here']);
    const sheet = workbook.addWorksheet('Orders');
    const { text, answer } = orderExportText({ lines: 800, repeatedHeaders: 1, emptyLines: 1, seed: 98 });
    for (const line of text.trimEnd().split('\n')) sheet.addRow(line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '')).slice(0, 6));
    const file = path.join(dir, 'orders.xlsx');
    writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
    const ok = run([file, '--sheet', 'Orders', '--frequency', 'monthly', '--no-jobs']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`imported ${file} as dataset`);
    expect(ok.stdout).toContain(`rows 800, SKUs ${answer.monthly.size}, monthly (long)`);
    const missing = run([file, '--sheet', 'Sales']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no sheet named 'Sales'");
    expect(missing.stderr).toContain("the workbook has 'Cover', 'Orders'");
    const mapping = run([file, '--mapping', '{"sku":0}']);
    expect(mapping.status).toBe(1);
    expect(mapping.stderr).toContain('--mapping: mapping.sku: must be a column name');
    const week = run([file, '--week-start', 'funday']);
    expect(week.status).not.toBe(0);
    expect(week.stderr).toContain('expected one of monday');
  });
});
