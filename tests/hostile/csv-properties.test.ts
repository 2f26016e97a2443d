/**
 * Hostile CSV, property-based with fast-check: well-formed files with awkward SKU names, the same
 * files mutated (bytes flipped, cut short, delimiters swapped, BOM and CRLF), random text and
 * random bytes, through POST /api/datasets (real app, real SQLite store on a temp file) and
 * through the importer functions directly. Never a 5xx or a crash; a refusal stores nothing;
 * an acceptance stores exactly the dataset, series and jobs its answer reports.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvDataset } from '../../src/datasets/csv-dataset-reader.js';
import { isDatasetValidationError } from '../../src/datasets/dataset-validation-error.js';
import { importCsv } from '../../src/datasets/import-dataset.js';
import { isTotalLabel } from '../../src/datasets/pivot-totals.js';
import { openApiTestApp, type ApiTestApp } from '../support/api-test-app.js';
import { awkwardSkus, edgeDates, hostileScalar, numbersAsStrings } from './hostile-arbitraries.js';

let t: ApiTestApp;
const runs = Number(process.env.HOSTILE_RUNS ?? 200);

beforeAll(async () => {
  t = await openApiTestApp();
});
afterAll(async () => {
  await t.close();
});

interface Counts { jobs: number; version: number; datasets: number; series: number }
async function counts(): Promise<Counts> {
  const s = await t.store.summary();
  const datasets = await t.store.listDatasets();
  return { jobs: s.total, version: s.version, datasets: datasets.length, series: datasets.reduce((a, d) => a + d.skuCount, 0) };
}

async function judge(res: LightMyRequestResponse, before: Counts): Promise<void> {
  expect(res.statusCode, `5xx: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  const after = await counts();
  const body = res.json();
  if (res.statusCode >= 400 || body.dryRun) {
    if (res.statusCode >= 400) {
      expect(typeof body.error).toBe('string');
      expect(Array.isArray(body.details)).toBe(true);
    }
    expect(after, `nothing may be stored: ${res.body.slice(0, 200)}`).toEqual(before);
    return;
  }
  expect(res.statusCode).toBe(201);
  const dataset = await t.store.getDataset(body.datasetId);
  expect(dataset).not.toBeNull();
  expect(after.datasets - before.datasets).toBe(1);
  expect(after.series - before.series).toBe(body.report.skus);
  expect(dataset!.skuCount).toBe(body.report.skus);
  expect(after.jobs - before.jobs).toBe(body.jobsCreated);
  expect((await t.store.summary({ datasetId: body.datasetId })).total).toBe(body.jobsCreated);
}

function upload(csv: string | Uint8Array, query = 'models=naive', type = 'text/csv') {
  return t.app.inject({ method: 'POST', url: `/api/datasets?${query}`, headers: { 'content-type': type }, payload: typeof csv === 'string' ? csv : Buffer.from(csv) });
}

function report(name: string, n: number): void {
  console.log(`[hostile] ${name}: ${n} cases`);
}

const quote = (field: string, delimiter: string) => (/["\r\n]/.test(field) || field.includes(delimiter) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field);

/** A well-formed long CSV: SKUs with awkward names, 12+ monthly rows each, some values odd. */
const wellFormed = fc.record({
  skus: fc.uniqueArray(fc.oneof(fc.constantFrom(...awkwardSkus.filter((s) => s.trim() !== '' && !s.includes('\u0000'))), fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== '')), { minLength: 1, maxLength: 5 }),
  months: fc.integer({ min: 12, max: 30 }),
  startYear: fc.constantFrom(1, 1900, 2020, 9997),
  delimiter: fc.constantFrom(',', ';', '\t'),
  odd: fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...numbersAsStrings, ...edgeDates), fc.string({ maxLength: 6 }))), { maxLength: 3 }),
}).map(({ skus, months, startYear, delimiter, odd }) => {
  const rows = skus.flatMap((sku, s) => Array.from({ length: months }, (_, m) => [
    sku, `${String(startYear + Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}-01`, String(10 + ((m * 5 + s * 3) % 17)),
  ]));
  for (const [at, value] of odd) rows[at % rows.length][at % 2 === 0 ? 2 : 1] = value;
  const text = ['sku,date,sales'.replaceAll(',', delimiter), ...rows.map((r) => r.map((f) => quote(f, delimiter)).join(delimiter))].join('\n');
  return { text, skus, rows: rows.length };
});

/**
 * A valid long CSV and exactly what must be stored: SKUs with awkward names (stored trimmed; none
 * named like a pivot table's total, `Sum` or `Total`, which coming last and as large as every
 * other SKU, or summing them, is dropped by design),
 * 12-30 consecutive months from a year the importer takes (1000-9999, the forecast after them within 9999), whole and half values
 * written with the delimiter's decimal mark, and some (sku, month) rows split in two (summed).
 */
const validFile = fc.record({
  skus: fc.uniqueArray(
    fc.oneof(fc.constantFrom(...awkwardSkus.filter((s) => s.trim() !== '' && !s.includes('\u0000'))), fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== '' && !isTotalLabel(s))),
    { minLength: 1, maxLength: 5, selector: (s) => s.trim() },
  ),
  months: fc.integer({ min: 12, max: 30 }),
  startYear: fc.constantFrom(1000, 1900, 2020, 9995), // 9995-12 + 30 months and a horizon of 12 still end in 9999 (a later date is refused: its forecast would pass 9999-12-31)
  startMonth: fc.integer({ min: 1, max: 12 }),
  delimiter: fc.constantFrom(',', ';', '\t'),
  values: fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 150, maxLength: 150 }),
  splits: fc.array(fc.nat(), { maxLength: 5 }),
}).map(({ skus, months, startYear, startMonth, delimiter, values, splits }) => {
  const expected = new Map<string, { dates: string[]; values: number[] }>();
  const lines: string[] = [];
  const decimal = delimiter === ';' ? ',' : '.';
  const write = (v: number) => (Number.isInteger(v) ? String(v) : String(v).replace('.', decimal));
  skus.forEach((sku, s) => {
    const dates: string[] = [];
    const sums: number[] = [];
    for (let m = 0; m < months; m++) {
      const k = startMonth - 1 + m;
      const date = `${startYear + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
      const value = values[(s * 31 + m) % values.length] / 2; // halves: exact in binary
      dates.push(date);
      sums.push(value);
      const split = splits.includes(s * 100 + m) || splits.includes(m);
      const parts = split ? [Math.floor(value / 2), value - Math.floor(value / 2)] : [value];
      for (const part of parts) lines.push([quote(sku, delimiter), date, write(part)].join(delimiter));
    }
    expected.set(sku.trim(), { dates, values: sums });
  });
  const text = ['sku,date,sales'.replaceAll(',', delimiter), ...lines].join('\n');
  return { text, expected };
});

/** A few edits a careless export or a truncated upload makes. */
function mutate(text: string, edits: Array<[number, number, string]>): string {
  let out = text;
  for (const [kind, at, s] of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind % 6 === 0) out = out.slice(0, i) + s + out.slice(i);
    else if (kind % 6 === 1) out = out.slice(0, i) + out.slice(i + 1 + (at % 5));
    else if (kind % 6 === 2) out = out.slice(0, i);
    else if (kind % 6 === 3) out = `\uFEFF${out.replaceAll('\n', '\r\n')}`;
    else if (kind % 6 === 4) out = out.replaceAll(',', ';');
    else out = out.slice(0, i) + '"' + out.slice(i);
  }
  return out;
}
const edits = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.oneof(fc.constantFrom('"', ',', '\n', '\r', '\u0000', '\uFFFD', '😀', ';', '\t', '""'), fc.string({ maxLength: 8 }))), { minLength: 1, maxLength: 4 });

const queryOptions = fc.dictionary(
  fc.constantFrom('models', 'format', 'dateFormat', 'mapping', 'dryRun', 'createJobs', 'horizon', 'holdout', 'frequency', 'metric', 'name', '__proto__'),
  fc.oneof(fc.constantFrom('naive', 'naive,mean', 'bogus', 'long', 'wide', 'auto', 'yyyy-MM-dd', 'dd/MM/yyyy', '{"sku":"sku","date":"date","quantity":"sales"}', '{"__proto__":{"polluted":1}}', 'true', 'false', '1e308', '-1', '0', 'monthly', 'hourly'), hostileScalar.map(String)),
  { maxKeys: 3 },
).map((fields) => ['models=naive', ...Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&'));

describe('POST /api/datasets with hostile CSV', () => {
  it('valid files with awkward SKU names import whole: 201, every SKU and every value as generated', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(validFile, async ({ text, expected }) => {
      n++;
      const before = await counts();
      const res = await upload(text);
      // Only valid files are generated: a refusal is a bug, not an outcome to tolerate.
      expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      await judge(res, before);
      const body = res.json();
      expect(body.report).toMatchObject({ skus: expected.size, rejectedCount: 0, frequency: 'monthly' });
      const stored = await t.store.getSeriesMany(body.datasetId);
      expect(new Map(stored.map((s) => [s.sku, { dates: s.dates, values: s.original }]))).toEqual(expected);
      // endOnFailure: a failing file is printed as found; shrinking 150 values can outlast the test timeout.
    }), { numRuns: runs, endOnFailure: true });
    report('POST /api/datasets valid CSV, values compared', n);
  });

  it('mutated files and hostile options: never a 5xx, refusals store nothing, acceptances store what they report', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(wellFormed, edits, queryOptions, async ({ text }, changes, query) => {
      n++;
      const before = await counts();
      await judge(await upload(mutate(text, changes), query), before);
    }), { numRuns: runs });
    report('POST /api/datasets mutated CSV + options', n);
  });

  it('random text and random bytes under any declared type: never a 5xx, nothing half-stored', async () => {
    let n = 0;
    const body = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), fc.uint8Array({ maxLength: 600 }));
    const type = fc.constantFrom('text/csv', 'text/plain', 'application/octet-stream', 'application/json', 'multipart/form-data; boundary=zz', 'image/png', 'text/csv; charset=utf-16');
    await fc.assert(fc.asyncProperty(body, type, async (payload, contentType) => {
      n++;
      const before = await counts();
      await judge(await upload(payload, 'models=naive', contentType), before);
    }), { numRuns: runs });
    report('POST /api/datasets random text/bytes', n);
  });

  it('multipart uploads with mutated parts: never a 5xx, nothing half-stored', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(wellFormed, edits, fc.constantFrom('file', 'csv', '__proto__'), async ({ text }, changes, field) => {
      n++;
      const boundary = '----hostile';
      const payload = mutate([
        `--${boundary}\r\nContent-Disposition: form-data; name="models"\r\n\r\nnaive\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="../../etc/passwd"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n`,
        `--${boundary}--\r\n`,
      ].join(''), changes.slice(0, 1));
      const before = await counts();
      await judge(await upload(payload, '', `multipart/form-data; boundary=${boundary}`), before);
    }), { numRuns: Math.ceil(runs / 2) });
    report('POST /api/datasets multipart', n);
  });
});

describe('POST /api/datasets/:id/cleaning with hostile CSV', () => {
  it('random and mutated cleaning files: never a 5xx; a refusal changes no series value', async () => {
    const created = await upload('sku,date,sales\n' + Array.from({ length: 24 }, (_, m) => `A,${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01,${m + 5}`).join('\n'));
    expect(created.statusCode).toBe(201);
    const id = created.json().datasetId as string;
    const cleaning = fc.oneof(
      fc.array(fc.tuple(fc.constantFrom('A', 'B', 'a"b', ''), fc.constantFrom(...edgeDates, '2020-03-01', '2021-12-01'), fc.oneof(fc.constantFrom(...numbersAsStrings), fc.double().map(String))), { maxLength: 5 })
        .map((rows) => ['sku,date,value', ...rows.map((r) => r.map((f) => quote(f, ',')).join(','))].join('\n')),
      fc.string({ maxLength: 200 }),
    );
    let n = 0;
    await fc.assert(fc.asyncProperty(cleaning, edits, fc.constantFrom('text/csv', 'text/plain', 'application/json'), async (text, changes, type) => {
      n++;
      const before = await counts();
      const series = await t.store.getSeriesMany(id, ['A']);
      const res = await t.app.inject({ method: 'POST', url: `/api/datasets/${id}/cleaning`, headers: { 'content-type': type }, payload: mutate(text, changes.slice(0, 1)) });
      expect(res.statusCode, `5xx: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      const after = await counts();
      if (res.statusCode >= 400) {
        expect(after).toEqual(before);
        expect(await t.store.getSeriesMany(id, ['A'])).toEqual(series);
      } else {
        expect(after.jobs - before.jobs).toBe(res.json().jobsCreated);
      }
    }), { numRuns: runs });
    report('POST /api/datasets/:id/cleaning', n);
  });
});

describe('POST /api/datasets regressions found by these properties', () => {
  const csv = 'sku,date,sales\nA,2020-01-01,1\nA,2020-02-01,2\nA,2020-03-01,3\n';
  it('a repeated query parameter is a 400 naming it (was a 500: fields.models.split is not a function)', async () => {
    const before = await counts();
    const res = await upload(csv, 'models=naive&models=mean');
    await judge(res, before);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('models');
  });

  it('a multipart body that ends early is a 400 naming the file (was a 500: Unexpected end of multipart data)', async () => {
    for (const payload of ['\u0000', `--zz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}`]) {
      const before = await counts();
      const res = await upload(payload, 'models=naive', 'multipart/form-data; boundary=zz');
      await judge(res, before);
      expect(res.statusCode).toBe(400);
      expect(res.json().details[0].path).toBe('file');
    }
  });
});

describe('the importer functions directly', () => {
  it('readCsvDataset on random text in random chunks either reads or refuses with a validation error', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.oneof(wellFormed.map((w) => w.text), fc.string({ maxLength: 300 })), edits, fc.array(fc.nat(50), { maxLength: 5 }), async (text, changes, cuts) => {
      n++;
      const input = mutate(text, changes);
      const chunks: string[] = [];
      let rest = input;
      for (const c of cuts) {
        chunks.push(rest.slice(0, c));
        rest = rest.slice(c);
      }
      chunks.push(rest);
      try {
        const read = await readCsvDataset(chunks, { fillGaps: 'zero', minLength: 0 });
        expect(read.series.length).toBe(read.report.skus);
        expect(read.report.rejectedCount).toBeGreaterThanOrEqual(read.report.rejected.length);
        for (const s of read.series) expect(s.original.every((v) => v === null || Number.isFinite(v))).toBe(true);
      } catch (error) {
        expect(isDatasetValidationError(error), `not a validation error: ${String(error)}`).toBe(true);
      }
    }), { numRuns: runs });
    report('readCsvDataset random/mutated text in chunks', n);
  });

  it('importCsv on a store: a refusal leaves every count as it was', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(wellFormed, edits, async ({ text }, changes) => {
      n++;
      const before = await counts();
      try {
        const outcome = await importCsv(t.store, [mutate(text, changes)], { models: ['naive', 'mean'] });
        const after = await counts();
        expect(after.datasets - before.datasets).toBe(1);
        expect(after.jobs - before.jobs).toBe(outcome.jobsCreated);
        expect(after.series - before.series).toBe(outcome.report.skus);
      } catch (error) {
        expect(isDatasetValidationError(error), `not a validation error: ${String(error)}`).toBe(true);
        expect(await counts()).toEqual(before);
      }
    }), { numRuns: runs });
    report('importCsv mutated text', n);
  });
});
