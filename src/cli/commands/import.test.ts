import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SeriesChangedError } from '../../datasets/planning-cycle-store.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import { takeSnapshot } from '../../datasets/snapshots.js';
import { openSqliteStore } from '../../stores/sqlite/sqlite-store.js';
import type { Store } from '../../stores/store.js';
import { buildProgram } from '../main.js';
import { newDatabaseWatch } from './import.js';

/** A test may wrap the store the CLI opens (a rival that always wins); the others get it as it is. */
const cliStore = vi.hoisted(() => ({ wrap: undefined as ((store: Store) => Store) | undefined }));
vi.mock('../../stores/open-store.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../stores/open-store.js')>();
  return {
    ...real,
    openStore: async (...args: Parameters<typeof real.openStore>) => {
      const store = await real.openStore(...args);
      return cliStore.wrap ? cliStore.wrap(store) : store;
    },
  };
});

/** `skucast import`, `skucast export` and `skucast actuals` in-process, on a temp SQLite file. */
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
  cliStore.wrap = undefined;
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync([...argv, '--database-path', db], { from: 'user' });
  } catch (error) {
    // a usage error: commander has written it, main() exits with its code
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return Number(process.exitCode ?? 0);
}

/** A file in the test's directory. */
function csvFile(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

/**
 * The store the CLI opens, as a worker elsewhere leaves it: by `--watch`'s second look at the queue
 * the batch has run; with `beat`, that worker beats in the database's registry.
 */
function batchRunsByTheSecondLook(options: { beat?: boolean } = {}): void {
  let looks = 0;
  cliStore.wrap = (store) => new Proxy(store, {
    get(target, prop) {
      if (options.beat && prop === 'listWorkers') {
        return async () => {
          const now = Date.now();
          await target.heartbeatWorker({ workerId: 'w-1', host: 'h', pid: 1, concurrency: 1, startedAt: now, lastHeartbeatAt: now, running: 0, status: 'running' });
          return target.listWorkers();
        };
      }
      if (prop === 'summary') {
        return async (...args: Parameters<Store['summary']>) => {
          if (++looks === 2) await completeAllJobs(target);
          return target.summary(...args);
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** What went to stderr, as lines: every error is one. */
const errLines = () => err.join('').split('\n').filter(Boolean);

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
    expect(lines[0]).toBe('sku,date,model,forecast,lo80,hi80,lo95,hi95,status');
    expect(lines).toHaveLength(1 + 200 * 12);
    // every row a real forecast: a known model, finite numbers nested as intervals are, 12 dates per SKU
    const perSku = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const [sku, date, model, ...numbers] = line.split(',');
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(model).toMatch(/^[a-z][a-z0-9_-]*$/);
      const [f, lo80, hi80, lo95, hi95] = numbers.slice(0, 5).map(Number);
      expect(numbers[5]).toMatch(/^(forecast|inactive)$/);
      for (const n of [f, lo80, hi80, lo95, hi95]) expect(Number.isFinite(n)).toBe(true);
      expect(lo95).toBeLessThanOrEqual(lo80);
      expect(lo80).toBeLessThanOrEqual(f);
      expect(f).toBeLessThanOrEqual(hi80);
      expect(hi80).toBeLessThanOrEqual(hi95);
      perSku.set(sku, (perSku.get(sku) ?? 0) + 1);
    }
    expect(perSku.size).toBe(200);
    expect([...perSku.values()].every((n) => n === 12)).toBe(true);

    // --totals: the dataset's summed history and forecast; each forecast date the sum of the SKUs' forecasts.
    const totals = path.join(dir, 'totals.csv');
    expect(await run('export', 'shop', '--totals', '--out', totals)).toBe(0);
    const rows = readFileSync(totals, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('by,value,date,kind,skus,actuals,original,cleaned,forecast,lo80,hi80,lo95,hi95,provisional');
    const forecastRows = rows.slice(1).map((r) => r.split(',')).filter((r) => r[3] === 'forecast');
    expect(forecastRows).toHaveLength(12);
    const byDate = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const [, date, , f] = line.split(',');
      byDate.set(date, (byDate.get(date) ?? 0) + Number(f));
    }
    for (const r of forecastRows) {
      expect(r[4]).toBe('200');
      expect(Number(r[8])).toBeCloseTo(byDate.get(r[2])!, 2);
    }
    expect(rows.slice(1).filter((r) => r.split(',')[3] === 'history').length).toBeGreaterThan(24);
    err = [];
    expect(await run('export', 'shop', '--totals', '--by', 'colour', '--out', '-')).toBe(1);
    expect(errLines()).toHaveLength(1);
    expect(errLines()[0]).toMatch(/^skucast export: .*by/);
    await expect(run('export', 'shop', '--by', 'store', '--out', '-')).rejects.toThrow('--by needs --totals: it names the attribute the totals are summed by');
    // A folder that is not there: named, nothing written (was a raw ENOENT from the write stream).
    await expect(run('export', 'shop', '--out', path.join(dir, 'no-such-folder', 'x.csv'))).rejects.toThrow(/^--out: no folder .*no-such-folder to write/);
  });

  it('accuracy --by store prints each store, the one without actuals yet included; a bad --by, or --by with --out -, exits 1 writing nothing', async () => {
    let csv = 'store,item,month,units\n';
    for (const store of ['North', 'South']) for (const item of ['I1', 'I2']) for (let m = 0; m < 24; m++) csv += `${store},${item},${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01,${store === 'North' ? 100 : 50}\n`;
    expect(await run('import', csvFile('stores.csv', csv), '--models', 'naive', '--mapping', JSON.stringify({ sku: ['store', 'item'], date: 'month', quantity: 'units' }))).toBe(0);
    const store = await openSqliteStore(db);
    try {
      await completeAllJobs(store);
    } finally {
      await store.close();
    }
    expect(await run('actuals', 'latest', csvFile('jan.csv', 'store,item,month,units\nNorth,I1,2024-01-01,90\nNorth,I2,2024-01-01,120\n'))).toBe(0);
    out = [];
    expect(await run('accuracy', 'latest', '--by', 'STORE')).toBe(0);
    const text = out.join('');
    // naive forecasts 100 for each North SKU: misses 10 and 20 pooled (WAPE 30 / 210), the total 200 against 210.
    expect(text).toMatch(/by store \(its SKUs pooled/);
    expect(text).toMatch(/North\s+2 SKUs\s+WAPE\s+14\.3 %\s+bias\s+-4\.8 %\s+of the total: WAPE\s+4\.8 %\s+bias\s+-4\.8 %/);
    expect(text).toMatch(/South\s+0 SKUs\s+WAPE\s+--/);
    expect(text).toMatch(/forecasts from 2024-01-01 to 2024-12-01\n/);
    // The list is sorted by units missed, and each row prints that first (was: WAPE and MAE alone).
    expect(text).toMatch(/SKUs that missed most, by units missed \(of 2\):\n[^\n]*I2[^\n]*missed\s+20\.00\s+WAPE[^\n]*\n[^\n]*I1[^\n]*missed\s+10\.00\s+WAPE/);
    err = [];
    const file = path.join(dir, 'acc.csv');
    expect(await run('accuracy', 'latest', '--by', 'colour', '--out', file)).toBe(1);
    expect(errLines()[0]).toMatch(/^skucast accuracy: .*colour/);
    expect(existsSync(file)).toBe(false);
    await expect(run('accuracy', 'latest', '--by', 'store', '--out', '-')).rejects.toThrow(/--out - makes stdout the CSV alone/);
    // The snapshot after January: South had no line, its forecasts still start in January, North's in
    // February; the line names where most start (a tie: both counts, the earliest first) and how many start elsewhere (was: "forecasts 2024-01-01").
    const again = await openSqliteStore(db);
    let newest: number;
    try {
      await completeAllJobs(again);
      const [dataset] = (await again.listDatasets()).filter(Boolean);
      await takeSnapshot(again, dataset.id);
      newest = (await again.listSnapshots(dataset.id))[0].id;
    } finally {
      await again.close();
    }
    out = [];
    expect(await run('accuracy', 'latest', '--snapshot', String(newest))).toBe(0);
    // 2 SKUs each way: both counts named, the earliest first (was: "2024-02-01 (2 SKUs from 2024-01-01)", a majority that was none).
    expect(out.join('')).toMatch(/forecasts from 2024-01-01 \(2 SKUs; 2 SKUs from 2024-02-01\) to 2025-01-01\n/);
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

  it('refuses an option value the HTTP API refuses, in one line, storing nothing', async () => {
    expect(await run('import', sample, '--no-jobs')).toBe(0);
    const cases = [
      ['import', sample, '--format', 'diag'],
      ['import', sample, '--format', 'WIDE'],
      ['import', sample, '--charset', 'shift_jis'],
      ['actuals', 'latest', sample, '--format', 'diag'],
      ['actuals', 'latest', sample, '--charset', 'utf-16'],
      ['export', 'latest', '--out', '-', '--snapshot', '0'], // an id (digits), and none: a name ('x') is looked up
    ];
    for (const argv of cases) {
      err = [];
      expect(await run(...argv), argv.join(' ')).not.toBe(0);
      expect(errLines(), argv.join(' ')).toHaveLength(1);
      expect(errLines()[0]).toMatch(/argument '(diag|WIDE|shift_jis|utf-16|0)' is invalid\. expected/);
    }
    const store = await openSqliteStore(db);
    try {
      expect(await store.listDatasets()).toHaveLength(1);
      expect(await store.listActuals((await store.latestDataset())!.id)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('prints a refused import on one line of stderr, the field messages joined', async () => {
    expect(await run('import', sample, '--models', 'nope,also-nope')).toBe(1);
    expect(errLines()).toEqual(["skucast import: invalid models[0]: unknown model 'nope' (models[1]: unknown model 'also-nope')"]);
    err = [];
    expect(await run('import', fixture('rejections.csv'), '--date-format', 'YYYY')).toBe(1);
    expect(errLines()).toHaveLength(1);
    expect(errLines()[0]).toMatch(/^skucast import: nothing usable: all 16 rows were rejected; .* \(line 2: date does not parse: 11 lines .*; line 3: SKU is empty: 1 line/);
  });

  // The refusal named the single date left over, not the two bad rows that left it (the HTTP 400 has them in report.rejected).
  it('lists the rejected rows of a refused import on stdout, as for an accepted one; the refusal stays one line on stderr', async () => {
    const file = csvFile('bad1.csv', 'sku,date,sales\nA,2024-01-01,3\nB,2024-01-01,abc\nC,2024-13-01,4\n');
    expect(await run('import', file)).toBe(1);
    expect(errLines()).toEqual(['skucast import: nothing usable: the frequency cannot be inferred from a single date (file: every SKU has one date; at least two dates are needed)']);
    const lines = out.join('').split('\n');
    expect(lines[0]).toBe(`not imported ${file}: nothing stored`);
    expect(lines[1]).toBe('  rejected 2 rows:');
    expect(lines.slice(2, 4).join('\n')).toMatch(/^    1 x .*'abc'.* \(lines 3\)\n    1 x .*2024-13-01.* \(lines 4\)$/);
    const store = await openSqliteStore(db);
    try {
      expect(await store.listDatasets()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('--max-rejected refuses a file with more rejected lines, listing them, exit 1 and nothing stored; within it the file imports', async () => {
    let text = 'sku,date,sales\n';
    for (let m = 1; m <= 10; m++) text += `A,2024-${String(m).padStart(2, '0')}-01,${m === 4 ? 'abc' : m === 5 ? '' : 7}\n`;
    const file = csvFile('messy.csv', text);
    expect(await run('import', file, '--max-rejected', '1', '--no-jobs')).toBe(1);
    expect(errLines()).toEqual([expect.stringMatching(/^skucast import: too many rejected lines: 2 lines were rejected, maxRejected allows 1; nothing was imported \(line 5: quantity 'abc' is not a number; line 6: quantity is empty\).*maxRejected: 2 rejected lines, more than the 1 allowed/)]);
    const lines = out.join('').split('\n');
    expect(lines[0]).toBe(`not imported ${file}: nothing stored`);
    expect(lines[1]).toBe('  rejected 2 rows:');
    const store = await openSqliteStore(db);
    try {
      expect(await store.listDatasets()).toEqual([]);
    } finally {
      await store.close();
    }
    expect(await run('import', file, '--max-rejected', 'x')).not.toBe(0);
    out = [];
    expect(await run('import', file, '--max-rejected', '2', '--no-jobs')).toBe(0);
    expect(out.join('')).toContain('warning: 2 periods filled with 0 had a line that was rejected: A 2024-04-01 (line 5');
  });

  it('refuses a --holdout that leaves no SKU forecastable, naming the longest allowed, exit 1 and nothing stored', async () => {
    let weekly = 'sku,date,sales\n';
    for (const sku of ['A', 'B']) {
      for (let w = 0; w < 104; w++) weekly += `${sku},${new Date(Date.UTC(2022, 0, 3 + 7 * w)).toISOString().slice(0, 10)},${10 + (w % 5)}\n`;
    }
    const file = csvFile('weekly.csv', weekly);
    expect(await run('import', file, '--holdout', '500')).toBe(1);
    expect(errLines()).toHaveLength(1);
    expect(errLines()[0]).toMatch(/^skucast import: invalid holdout: must be at most 100 for this file: .*nothing was imported$/);
    expect(out.join('')).not.toMatch(/imported/);
    const store = await openSqliteStore(db);
    try {
      expect(await store.listDatasets()).toEqual([]);
      expect((await store.summary()).total).toBe(0);
    } finally {
      await store.close();
    }
    expect(await run('import', file, '--holdout', '100', '--models', 'seasonal_naive')).toBe(0);
    expect(out.join('')).toMatch(/jobs queued 2 /);
  });

  it('accepts --holdout 0 and warns that it turns off the mix, the intervals\' calibration and every score', async () => {
    let monthly = 'sku,date,sales\n';
    for (const sku of ['A', 'B']) for (let m = 1; m <= 12; m++) monthly += `${sku},2023-${String(m).padStart(2, '0')}-01,${10 + m}\n`;
    expect(await run('import', csvFile('zero.csv', monthly), '--holdout', '0')).toBe(0);
    expect(out.join('')).toContain('  warning: Holdout 0 turns off cross-validation: the forecast shown is the ensemble alone (not the mix), its intervals are not calibrated, and nothing is scored.\n');
  });

  it('reads a Windows-1252 file with --charset windows-1252, and refuses it without', async () => {
    const file = path.join(dir, 'excel.csv');
    const rows = ['sku,date,qty'];
    for (let m = 1; m <= 12; m++) rows.push(`Café,2023-${String(m).padStart(2, '0')}-01,1`, `Cafè,2023-${String(m).padStart(2, '0')}-01,100`);
    writeFileSync(file, Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1'));
    expect(await run('import', file, '--no-jobs')).toBe(1);
    expect(errLines()).toHaveLength(1);
    expect(errLines()[0]).toMatch(/^skucast import: the file is not UTF-8: line 2 has the byte 0xE9/);
    expect(await run('import', file, '--no-jobs', '--charset', 'windows-1252')).toBe(0);
    expect(out.join('')).toMatch(/rows 24, SKUs 2, monthly/);
    const store = await openSqliteStore(db);
    try {
      const page = await store.listSkus((await store.latestDataset())!.id, { limit: 10, offset: 0 });
      expect(page.items.map((i) => [i.sku, i.volume])).toEqual([['Cafè', 1200], ['Café', 12]]);
    } finally {
      await store.close();
    }
  });
});

describe('skucast actuals', () => {
  it('reads a month-first dataset\'s 04/01/2024 as April (QA: it revised January), and prints the warnings of a file it had to read one way', async () => {
    let history = 'sku,date,qty\n';
    for (let k = 0; k < 15; k++) history += `A,${String((k % 12) + 1).padStart(2, '0')}/01/${2023 + Math.floor(k / 12)},${k < 12 ? 10 * (k + 1) : 101 + k - 12}\n`;
    expect(await run('import', csvFile('us_monthly.csv', history), '--models', 'seasonal_naive')).toBe(0);
    expect(await run('actuals', 'latest', csvFile('april.csv', 'sku,date,qty\nA,04/01/2024,555\n'))).toBe(0);
    expect(out.join('')).toMatch(/SKUs changed 1 \(new 0\), periods added 1, values revised 0\n/);
    out = [];
    let tenDays = 'sku,date,qty\n';
    for (let d = 1; d <= 10; d++) tenDays += `A,01/${String(d).padStart(2, '0')}/24,2\n`;
    expect(await run('actuals', 'latest', csvFile('ten-days.csv', tenDays))).toBe(0);
    const printed = out.join('');
    // Ten days of January never replace the whole January stored: kept, and said so.
    expect(printed).toMatch(/periods added 0, values revised 0\n {2}partial periods: values kept 1, written as provisional 0; provisional values made final 0\n {4}A 2024-01-01: kept 101 \(complete\); the file's days sum to 20\n {2}nothing changed: no job queued\n/);
    expect(printed).toMatch(/ {2}warning: partial periods, never written over a complete value: .*2024-01-01.*\(1 SKU kept the stored value\)/);
  });

  it('doctor warns of a dataset whose series mix month starts and month ends, and repairs nothing', async () => {
    expect(await run('import', csvFile('ends.csv', 'sku,date,qty\nA,2024-01-31,1\nA,2024-02-29,2\nB,2024-01-31,3\nB,2024-02-29,4\n'), '--models', 'seasonal_naive', '--name', 'ends')).toBe(0);
    expect(await run('doctor')).toBe(0);
    // Says what it checked (was "dates: one convention a dataset").
    expect(out.join('')).toMatch(/^dates: every dataset dates its periods one way \(all month starts or all month ends, \.\.\.\)$/m);
    // B on month starts, as a new SKU was dated before b702f5d.
    const db3 = new Database(db);
    db3.prepare("UPDATE series SET dates = ? WHERE sku = 'B'").run(JSON.stringify(['2024-01-01', '2024-02-01']));
    db3.close();
    out = [];
    expect(await run('doctor')).toBe(0);
    expect(out.join('')).toMatch(/^dates: warning: dataset \S+ \(ends\) mixes date conventions \(series: 1 on month ends, 1 on month starts\); new SKUs take month ends; .*$/m);
    out = [];
    expect(await run('doctor')).toBe(0);
    expect(out.join('')).toMatch(/mixes date conventions/);
  });

  it('says to send the file again, on one line with a non-zero exit, when other uploads kept changing a SKU of it', async () => {
    let history = 'sku,date,qty\n';
    for (let k = 0; k < 15; k++) history += `A,2023-${String((k % 12) + 1).padStart(2, '0')}-01,${k + 1}\n`;
    expect(await run('import', csvFile('monthly.csv', history), '--models', 'seasonal_naive')).toBe(0);
    err = []; // the new database's warning: these test the actuals' line
    // Another upload wins every time: each write finds N changed since its read.
    cliStore.wrap = (store) => new Proxy(store, {
      get(target, prop) {
        if (prop === 'appendActuals') return async (datasetId: string) => { throw new SeriesChangedError(datasetId, 'N'); };
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    expect(await run('actuals', 'latest', csvFile('n.csv', 'sku,date,qty\nN,2024-04-01,5\n'))).toBe(1);
    expect(errLines()).toEqual([expect.stringMatching(/^skucast actuals: another upload changed SKU N while this file was merged; send the file again \(file: /)]);
  });

  it('says the dataset was deleted, on one line with a non-zero exit, when it is found gone after a refused attempt', async () => {
    let history = 'sku,date,qty\n';
    for (let k = 0; k < 15; k++) history += `A,2023-${String((k % 12) + 1).padStart(2, '0')}-01,${k + 1}\n`;
    expect(await run('import', csvFile('monthly.csv', history), '--models', 'seasonal_naive')).toBe(0);
    err = []; // the new database's warning: these test the actuals' line
    // Another upload changed a SKU of the file, then the dataset was deleted before the next attempt.
    cliStore.wrap = (store) => new Proxy(store, {
      get(target, prop) {
        if (prop === 'appendActuals') {
          return async (datasetId: string) => {
            await target.deleteDataset(datasetId);
            throw new SeriesChangedError(datasetId, 'A');
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    expect(await run('actuals', 'latest', csvFile('a.csv', 'sku,date,qty\nA,2024-04-01,5\n'))).toBe(1);
    expect(errLines()).toEqual([expect.stringMatching(/^skucast actuals: dataset \S+ was deleted while this change was planned; nothing was stored$/)]);
  });

  it('prints the jobs skipped with the others, as the API returns jobsSkipped (a new SKU of one period is too short for any model)', async () => {
    let history = 'sku,date,qty\n';
    for (let k = 0; k < 15; k++) history += `A,${2023 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01,${10 + k}\n`;
    expect(await run('import', csvFile('history.csv', history), '--models', 'seasonal_naive,naive')).toBe(0);
    out = [];
    expect(await run('actuals', 'latest', csvFile('new-sku.csv', 'sku,date,qty\nA,2024-04-01,30\nNEW,2024-04-01,5\n'))).toBe(0);
    expect(out.join('')).toMatch(/SKUs changed 2 \(new 1\)/);
    expect(out.join('')).toMatch(/ {2}jobs queued 2 \(reused 0, superseded 2, skipped 2\), batch /); // A's pending import jobs superseded
  });
});

describe('skucast import: which database', () => {
  const history = `sku,date,qty\n${Array.from({ length: 12 }, (_, m) => `A,2024-${String(m + 1).padStart(2, '0')}-01,${m + 1}`).join('\n')}\n`;
  afterEach(() => {
    newDatabaseWatch.noWorkerMs = 20_000;
  });

  it('names the database on its first line, and warns on stderr when the import created it', async () => {
    const file = csvFile('h.csv', history);
    expect(await run('import', file, '--models', 'naive')).toBe(0);
    expect(out.join('').split('\n')[0]).toMatch(new RegExp(`^imported ${file} as dataset ds_\\w+ in [\\d.]+ s, into SQLite ${db} \\(a new file\\)$`));
    expect(errLines()).toEqual([`skucast import: warning: there was no database at ${db}, so this import created it: no worker or API server can be using it yet. If you meant an existing database, give it (DATABASE_PATH / --database-path, relative to the current directory; or DATABASE_URL / --database-url) and import again; to forecast this one, start a worker on it: skucast worker --database-path ${db}`]);
    out = [];
    err = [];
    expect(await run('import', file, '--models', 'naive')).toBe(0);
    expect(out.join('').split('\n')[0]).toMatch(new RegExp(`, into SQLite ${db}$`));
    expect(err).toEqual([]);
  });

  it('--watch on a database it created stops, saying no worker is attached and how to start one, when none beats', async () => {
    newDatabaseWatch.noWorkerMs = 1;
    expect(await run('import', csvFile('h.csv', history), '--models', 'naive', '--watch')).toBe(1);
    expect(errLines().at(-1)).toMatch(new RegExp(`^skucast import: no worker is attached to this new database \\(none beat in \\d+s\\), so its 1 job would wait forever: the dataset and its jobs are stored; start a worker on it \\(skucast worker --database-path ${db}\\) and they run, or import into the database your workers use$`));
    const store = await openSqliteStore(db);
    try {
      expect((await store.summary({})).pending).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('--watch on a database it created follows the batch to the end once a worker beats in it', async () => {
    newDatabaseWatch.noWorkerMs = 1;
    // A worker started on the new file: it beats, and by the next look it has run the batch.
    batchRunsByTheSecondLook({ beat: true });
    expect(await run('import', csvFile('h.csv', history), '--models', 'naive', '--watch')).toBe(0);
    expect(out.join('')).toMatch(/optimization finished in \d+s: 1 completed, 0 failed/);
    expect(err.join('')).not.toMatch(/no worker is attached/);
  }, 20_000);

  it('--watch --json prints one object once the batch drains: the import\'s answer, how the batch ended, the portfolio', async () => {
    batchRunsByTheSecondLook();
    writeFileSync(db, '');
    const store = await openSqliteStore(db);
    await store.migrate();
    await store.close();
    expect(await run('import', csvFile('h.csv', history), '--models', 'naive', '--watch', '--json')).toBe(0);
    const lines = out.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ datasetId: expect.stringMatching(/^ds_/), jobsCreated: 1, watch: { completed: 1, failed: 0 }, bestModels: { naive: 1 }, portfolio: expect.any(Object) });
  }, 20_000);
});
