import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import { openSqliteStore } from '../../stores/sqlite/sqlite-store.js';
import { buildProgram } from '../main.js';

/** `skucast import` and `skucast export` in-process, on a temp SQLite file. */
const fixture = (name: string) => fileURLToPath(new URL(`../../datasets/fixtures/${name}`, import.meta.url));
const sample = fileURLToPath(new URL('../../../data/sample/sample-sales.csv', import.meta.url));

let dir: string;
let db: string;
let out: string[];
let err: string[];
beforeEach(() => {
  // The test asserts on its own SQLite file: a DATABASE_URL in the environment would send the CLI
  // to PostgreSQL instead (and write into that database).
  vi.stubEnv('DATABASE_URL', '');
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-cli-'));
  db = path.join(dir, 'jobs.db');
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
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

describe('skucast import / export', () => {
  it('imports a file, queues its jobs, and exports the forecasts once they are done', async () => {
    expect(await run('import', sample, '--models', 'seasonal_naive', '--name', 'shop')).toBe(0);
    expect(out.join('')).toMatch(/rows 8952, SKUs 200, monthly/);
    expect(out.join('')).toMatch(/jobs queued 200/);
    const store = await openSqliteStore(db);
    try {
      expect(await completeAllJobs(store)).toBe(200);
    } finally {
      await store.close();
    }
    const file = path.join(dir, 'forecasts.csv');
    expect(await run('export', 'shop', '--out', file)).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('sku,date,model,forecast,lo80,hi80,lo95,hi95');
    expect(lines).toHaveLength(1 + 200 * 12);
    // every row a real forecast: a known model, finite numbers nested as intervals are, 12 dates per SKU
    const perSku = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const [sku, date, model, ...numbers] = line.split(',');
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(model).toMatch(/^[a-z][a-z0-9_-]*$/);
      const [f, lo80, hi80, lo95, hi95] = numbers.map(Number);
      for (const n of [f, lo80, hi80, lo95, hi95]) expect(Number.isFinite(n)).toBe(true);
      expect(lo95).toBeLessThanOrEqual(lo80);
      expect(lo80).toBeLessThanOrEqual(f);
      expect(f).toBeLessThanOrEqual(hi80);
      expect(hi80).toBeLessThanOrEqual(hi95);
      perSku.set(sku, (perSku.get(sku) ?? 0) + 1);
    }
    expect(perSku.size).toBe(200);
    expect([...perSku.values()].every((n) => n === 12)).toBe(true);
  });

  it('prints the reasons and exits 1 when nothing is usable', async () => {
    expect(await run('import', fixture('binary.csv'))).toBe(1);
    expect(err.join('')).toMatch(/binary/);
    expect(await run('import', fixture('header-only.csv'))).toBe(1);
    expect(err.join('')).toMatch(/nothing usable/);
    const store = await openSqliteStore(db);
    try {
      expect(await store.listDatasets()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
