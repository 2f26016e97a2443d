import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import { openSqliteStore } from '../../stores/sqlite/sqlite-store.js';
import { buildProgram } from '../main.js';
import { withoutForecast } from './export.js';

/** `skucast export`'s summary of the SKUs without a forecast, in-process on a temp SQLite file. */
const sample = fileURLToPath(new URL('../../../data/sample/sample-sales.csv', import.meta.url));

let dir: string;
let db: string;
let err: string[];
beforeEach(() => {
  vi.stubEnv('DATABASE_URL', '');
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-export-'));
  db = path.join(dir, 'jobs.db');
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<number> {
  process.exitCode = undefined;
  await buildProgram().parseAsync([...argv, '--database-path', db], { from: 'user' });
  return Number(process.exitCode ?? 0);
}

describe('skucast export: SKUs without a forecast', () => {
  it('says how many SKUs have no forecast and why, by status, exit 0 (was: "wrote x.csv: N rows" alone)', async () => {
    expect(await run('import', sample, '--models', 'seasonal_naive', '--name', 'shop')).toBe(0);
    const store = await openSqliteStore(db);
    try {
      const pending = (await store.listJobs({ limit: 200 })).jobs.filter((j) => j.status === 'pending').map((j) => j.id);
      expect(pending).toHaveLength(200);
      await store.cancel({ ids: pending.slice(0, 30) }); // as cancelling part of a dataset
      for (const c of await store.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 })) await store.fail(c, 'boom');
      await store.claim({ workerId: 'busy', limit: 1, leaseMs: 600_000 }); // still running
      expect(await completeAllJobs(store)).toBe(167);
    } finally {
      await store.close();
    }
    const file = path.join(dir, 'forecasts.csv');
    err = []; // import's own warnings
    expect(await run('export', 'shop', '--out', file)).toBe(0);
    const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    const statusOf = (status: string) => new Set(rows.filter((r) => r.endsWith(`,${status}`)).map((r) => r.split(',')[0])).size;
    expect([statusOf('none'), statusOf('failed'), statusOf('pending')]).toEqual([30, 2, 1]);
    expect(err.join('')).toMatch(new RegExp(`^wrote .*forecasts\\.csv: ${rows.length} rows of dataset ds_\\S+ \\(shop\\); 33 of 200 SKUs have no forecast `
      + "\\(none 30: no job coming: cancelled, never queued, or a history too short for the models; failed 2: the current models' newest jobs failed; "
      + "pending 1: a job still open\\); their rows' status column says which\\n$"));

    err = [];
    expect(await run('export', 'shop', '--out', '-')).toBe(0);
    expect(err.join('')).toMatch(/^note: 33 of 200 SKUs have no forecast \(none 30: /);
    err = [];
    expect(await run('export', 'shop', '--metrics', '--out', path.join(dir, 'metrics.csv'))).toBe(0);
    expect(err.join('')).toMatch(/^wrote .*metrics\.csv: \d+ rows of dataset \S+ \(shop\)\n$/);
  });

  it('says nothing more when every SKU has a forecast', () => {
    expect(withoutForecast(new Map([['forecast', 5], ['inactive', 1]]))).toBeNull();
    expect(withoutForecast(new Map())).toBeNull();
    expect(withoutForecast(new Map([['forecast', 1], ['none', 1]]))).toBe(
      "1 of 2 SKUs has no forecast (none 1: no job coming: cancelled, never queued, or a history too short for the models); their rows' status column says which");
    // A snapshot's export: the statuses it kept, not today's.
    expect(withoutForecast(new Map([['forecast', 1], ['pending', 1]]), true)).toMatch(/^1 of 2 SKUs has no forecast in the snapshot \(as things stood when it was taken\) \(pending 1: a job still open\)/);
  });
});

describe('skucast export: attribute columns and --decimals (review-planner finding 13)', () => {
  it("writes the dataset's attributes after sku, full precision by default and rounded with --decimals; refuses --decimals 7 and with --metrics", async () => {
    const month = (k: number) => `${2022 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
    let csv = 'Artikel,Filiale,Monat,Menge\n';
    for (const [sku, store] of [['A', 'Berlin'], ['B', 'München']]) for (let k = 0; k < 30; k++) csv += `${sku},${store},${month(k)},${(20 + 7 * Math.sin(k) + k / 3).toFixed(3)}\n`;
    const input = path.join(dir, 'sales.csv');
    writeFileSync(input, csv);
    const mapping = JSON.stringify({ sku: 'Artikel', attributes: ['Filiale'], date: 'Monat', quantity: 'Menge' });
    expect(await run('import', input, '--models', 'ets', '--name', 'shop', '--mapping', mapping)).toBe(0);
    const store = await openSqliteStore(db);
    try {
      await completeAllJobs(store);
    } finally {
      await store.close();
    }
    const read = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
    const full = path.join(dir, 'full.csv');
    const one = path.join(dir, 'one.csv');
    expect(await run('export', 'shop', '--out', full)).toBe(0);
    expect(await run('export', 'shop', '--out', one, '--decimals', '1')).toBe(0);
    const [header, ...rows] = read(full);
    expect(header).toEqual(['sku', 'Filiale', 'date', 'model', 'forecast', 'lo80', 'hi80', 'lo95', 'hi95', 'status']);
    expect(new Set(rows.map((r) => `${r[0]}:${r[1]}`))).toEqual(new Set(['A:Berlin', 'B:München']));
    expect(rows.some((r) => /\.\d{2,}$/.test(r[4]))).toBe(true);
    const rounded = read(one).slice(1);
    rounded.forEach((r, i) => {
      expect(r[4]).toMatch(/^-?\d+(\.\d)?$/);
      expect(Number(r[4])).toBeCloseTo(Number(rows[i][4]), 1);
    });
    err = [];
    await expect(run('export', 'shop', '--out', one, '--decimals', '7')).rejects.toThrow();
    // 0 is refused (R review finding 7): rows rounded one by one, slow movers at 0.3 would export as 0 and sum to 0.
    await expect(run('export', 'shop', '--out', one, '--decimals', '0')).rejects.toThrow(/0 decimals is refused/);
    await expect(run('export', 'shop', '--metrics', '--out', one, '--decimals', '2')).rejects.toThrow(/--decimals rounds the forecasts/);
  });
});
