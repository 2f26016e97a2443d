/**
 * Hostile request bodies and query strings against the real app over a real SQLite store (temp
 * file), property-based with fast-check. For every case: never a 5xx, the app keeps answering,
 * a refusal is `{error, details}` and writes nothing (job, dataset and series counts and the
 * queue's change counter are unchanged), and an acceptance writes exactly what the answer says.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/api/errors.js';
import { openApiTestApp, type ApiTestApp } from '../support/api-test-app.js';
import { awkwardSkus, deeplyNested, edgeDates, edgeNumbers, hostileScalar, hostileValue, numbersAsStrings, salesRows, toJson } from './hostile-arbitraries.js';

let t: ApiTestApp;
let datasetId: string;
const baseSkus = ['S-1', 'S-2', 'S-3'];
const runs = Number(process.env.HOSTILE_RUNS ?? 200);

beforeAll(async () => {
  t = await openApiTestApp();
  const res = await post('/api/jobs', toJson({ data: salesRows(baseSkus), models: ['naive'] }));
  expect(res.statusCode).toBe(201);
  datasetId = res.json().datasetId;
});
afterAll(async () => {
  await t.close();
});

function post(url: string, payload: string, contentType = 'application/json') {
  return t.app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });
}

interface Counts { jobs: number; version: number; cancelled: number; datasets: number; series: number }
async function counts(): Promise<Counts> {
  const s = await t.store.summary();
  const datasets = await t.store.listDatasets();
  return { jobs: s.total, version: s.version, cancelled: s.cancelled, datasets: datasets.length, series: datasets.reduce((a, d) => a + d.skuCount, 0) };
}

/** The invariants of every answer; returns the counts after, for the caller's own checks. */
async function judge(res: LightMyRequestResponse, before: Counts): Promise<Counts> {
  expect(res.statusCode, `5xx: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  const after = await counts();
  if (res.statusCode >= 400) {
    const body = res.json();
    expect(typeof body.error).toBe('string');
    expect(Array.isArray(body.details)).toBe(true);
    // The kind to branch on: the status's code (409 has two, to send again or not).
    if (res.statusCode === 409) expect(['conflict_state', 'conflict_retry']).toContain(body.code);
    else expect(body.code, res.body.slice(0, 200)).toBe(errorCodeOf(res.statusCode));
    expect(after, `a refused request wrote something: ${res.body.slice(0, 200)}`).toEqual(before);
  }
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return after;
}

/** A POST /api/jobs answer must match what was written. */
function expectCreated(res: LightMyRequestResponse, before: Counts, after: Counts, form: 'data' | 'skus'): void {
  if (res.statusCode !== 201) return;
  const body = res.json();
  expect(after.jobs - before.jobs).toBe(body.jobsCreated);
  expect(after.datasets - before.datasets).toBe(form === 'data' ? 1 : 0);
  if (form === 'data') expect(after.series - before.series).toBe(body.skusProcessed);
}

function report(name: string, n: number): void {
  console.log(`[hostile] ${name}: ${n} cases`);
}

const validData = fc.record({
  // Valid means valid: a SKU that trims to nothing, or holds a NUL character (refused at the edge,
  // src/api/request-checks.test.ts), is a hostile value of its own (tested elsewhere).
  skus: fc.uniqueArray(fc.oneof(fc.constantFrom(...awkwardSkus.filter((s) => s.trim() !== '' && !s.includes('\u0000'))), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && !s.includes('\u0000'))), { minLength: 1, maxLength: 4 }),
  months: fc.integer({ min: 1, max: 30 }),
  offset: fc.nat(1000),
});

describe('POST /api/jobs', () => {
  it('any JSON body: never a 5xx, refusals write nothing', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(hostileValue, async (value) => {
      n++;
      const before = await counts();
      const res = await post('/api/jobs', toJson(value));
      const after = await judge(res, before);
      expectCreated(res, before, after, 'data');
    }), { numRuns: runs });
    report('POST /api/jobs arbitrary JSON', n);
  });

  it('rows of sales with one field made hostile: 400 naming it, or 201 with exactly what was written', async () => {
    let n = 0;
    const field = fc.constantFrom('sku', 'date', 'sales');
    const bad = fc.oneof(hostileScalar, fc.constantFrom<unknown>(...edgeDates, ...numbersAsStrings, ...edgeNumbers), hostileValue);
    await fc.assert(fc.asyncProperty(validData, fc.nat(), field, bad, async ({ skus, months, offset }, at, name, value) => {
      n++;
      const rows: Array<Record<string, unknown>> = salesRows(skus, months, offset);
      rows[at % rows.length][name] = value;
      const before = await counts();
      const res = await post('/api/jobs', toJson({ data: rows, models: ['naive', 'mean'] }));
      const after = await judge(res, before);
      expectCreated(res, before, after, 'data');
      if (res.statusCode === 400 && res.json().details.length > 0 && !res.json().report) {
        const paths = res.json().details.map((d: { path: string }) => d.path);
        if (res.json().error === 'malformed JSON body') {
          // Only a prototype key inside the value (__proto__, constructor.prototype) makes the JSON
          // parser refuse the body whole, before any field exists.
          expect(toJson(value)).toMatch(/"(__proto__|constructor)":/);
          expect(paths).toEqual(['body']);
        } else {
          // The one hostile field is the one named: its row's index and its name, nothing vaguer.
          expect(paths).toEqual([`data[${at % rows.length}].${name}`]);
        }
      }
    }), { numRuns: runs });
    report('POST /api/jobs rows with a hostile field', n);
  });

  it('the skus form with awkward names and hostile extras: unknown SKUs refused, nothing written', async () => {
    let n = 0;
    const skus = fc.array(fc.oneof(fc.constantFrom(...baseSkus, ...awkwardSkus), hostileScalar), { minLength: 0, maxLength: 6 });
    const extra = fc.dictionary(fc.constantFrom('method', 'reason', 'settings', 'datasetId', 'models', '__proto__', 'constructor'), hostileValue, { maxKeys: 2 });
    await fc.assert(fc.asyncProperty(skus, extra, fc.boolean(), async (list, more, withDataset) => {
      n++;
      const body = { skus: list, models: ['naive'], ...(withDataset ? { datasetId } : {}), ...more };
      const before = await counts();
      const res = await post('/api/jobs', toJson(body));
      const after = await judge(res, before);
      expectCreated(res, before, after, 'skus');
    }), { numRuns: runs });
    report('POST /api/jobs skus form', n);
  });

  it('empty bodies, wrong content types, deep nesting and prototype keys are refused with 4xx', async () => {
    const cases: Array<[string, string]> = [
      ['', 'application/json'],
      ['   ', 'application/json'],
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['"text"', 'application/json'],
      ['{"models":["naive"],"skus":["S-1"]', 'application/json'],
      [deeplyNested(100_000, 'array'), 'application/json'],
      [deeplyNested(100_000, 'object'), 'application/json'],
      [`{"data":${deeplyNested(5_000, 'array')},"models":["naive"]}`, 'application/json'],
      ['{"__proto__":{"polluted":true},"models":["naive"],"skus":["S-1"]}', 'application/json'],
      ['{"constructor":{"prototype":{"polluted":true}},"models":["naive"],"skus":["S-1"]}', 'application/json'],
      ['{"models":["naive"],"skus":["S-1"],"settings":{"__proto__":{"polluted":true}}}', 'application/json'],
      ['skus=S-1&models=naive', 'application/x-www-form-urlencoded'],
      ['<jobs/>', 'application/xml'],
      ['{"models":["naive"],"skus":["S-1"]}', 'text/plain'],
      ['{"models":["naive"],"skus":["S-1"]}', 'multipart/form-data; boundary=x'],
      ['\u0000\u0001\u0002', 'application/octet-stream'],
    ];
    for (const [payload, type] of cases) {
      const before = await counts();
      const res = await post('/api/jobs', payload, type);
      await judge(res, before);
      expect(res.statusCode, `${type}: ${payload.slice(0, 60)} -> ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    }
    // A charset parameter is no reason to refuse JSON: accepted or not, the usual invariants hold.
    const before = await counts();
    const res = await post('/api/jobs', '{"models":["naive"],"skus":["S-1"]}', 'application/json; charset=latin1');
    expectCreated(res, before, await judge(res, before), 'skus');
    report('POST /api/jobs fixed hostile bodies', cases.length + 1);
  });

  it('10,000 SKUs in one request: all imported, or refused whole', async () => {
    const skus = Array.from({ length: 10_000 }, (_, i) => `big-${i}-"q",c\n${i % 7 === 0 ? 'ü' : ''}`);
    let before = await counts();
    let res = await post('/api/jobs', toJson({ data: salesRows(skus, 10), models: ['naive'] }));
    let after = await judge(res, before);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ skusProcessed: 10_000, jobsCreated: 10_000 });
    expectCreated(res, before, after, 'data');
    const bigId = res.json().datasetId as string;

    // The same SKUs by name (10,000 in the skus form, the dataset's own model): all of them, or none when one is unknown.
    before = await counts();
    res = await post('/api/jobs', toJson({ skus: [...skus, 'not-there'], models: ['naive'], datasetId: bigId }));
    await judge(res, before);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('skus[10000]');
    before = await counts();
    res = await post('/api/jobs', toJson({ skus, models: ['naive'], datasetId: bigId }));
    after = await judge(res, before);
    expect(res.statusCode).toBe(201);
    expect(after.jobs - before.jobs).toBe(10_000);

    // One bad row among 100,000 good ones: the JSON form is all or nothing (unlike a CSV import,
    // which reports and skips rows), so a 400 naming exactly that row and field, and nothing written.
    const rows: Array<Record<string, unknown>> = salesRows(skus.map((s) => `${s}-b`), 10);
    expect(rows.length).toBe(100_000);
    rows[77_777].sales = '1e309';
    before = await counts();
    res = await post('/api/jobs', toJson({ data: rows, models: ['naive'] }));
    after = await judge(res, before);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'data[77777].sales', message: 'sales must be a number, got "1e309"' }]);
    expect(after).toEqual(before);
    report('POST /api/jobs with 10,000 SKUs', 4);
  }, 120_000);
});

describe('other bodies and query strings', () => {
  it('POST /api/jobs/cancel with any body: never a 5xx; what it says it cancelled is what changed', async () => {
    let n = 0;
    const body = fc.oneof(hostileValue, fc.record({ batchId: hostileScalar, datasetId: hostileScalar, sku: hostileScalar, status: hostileValue }, { requiredKeys: [] }));
    await fc.assert(fc.asyncProperty(body, async (value) => {
      n++;
      const before = await counts();
      const res = await post('/api/jobs/cancel', toJson(value));
      const after = await judge(res, before);
      if (res.statusCode === 200) expect(after.cancelled - before.cancelled).toBe(res.json().cancelled);
    }), { numRuns: runs });
    report('POST /api/jobs/cancel', n);
  });

  it('PATCH dataset settings with any body: refusals leave the settings and the queue alone', async () => {
    let n = 0;
    const body = fc.oneof(hostileValue, fc.record({
      horizon: hostileScalar, holdout: hostileScalar, models: hostileValue, method: hostileScalar, metric: hostileScalar, intervalLevels: hostileValue,
    }, { requiredKeys: [] }));
    await fc.assert(fc.asyncProperty(body, async (value) => {
      n++;
      const before = await counts();
      const settings = (await t.store.getDataset(datasetId))!.settings;
      const res = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${datasetId}/settings`, headers: { 'content-type': 'application/json' }, payload: toJson(value) });
      const after = await judge(res, before);
      if (res.statusCode >= 400) expect((await t.store.getDataset(datasetId))!.settings).toEqual(settings);
      else expect(after.jobs - before.jobs).toBe(res.json().jobsCreated);
    }), { numRuns: runs });
    report('PATCH /api/datasets/:id/settings', n);
  });

  it('PATCH a SKU with hostile edits (far dates, huge values): refusals change no value', async () => {
    let n = 0;
    const edit = fc.record({ date: fc.oneof(fc.constantFrom(...edgeDates, '2018-03-01', '2019-12-01'), hostileScalar), value: fc.oneof(fc.constantFrom<unknown>(...edgeNumbers), hostileScalar) });
    const body = fc.oneof(
      fc.record({ edits: fc.array(edit, { maxLength: 4 }), reset: fc.array(fc.oneof(fc.constantFrom(...edgeDates), hostileScalar), { maxLength: 3 }), acceptOutliers: fc.oneof(fc.boolean(), hostileValue), undoAll: hostileScalar }, { requiredKeys: [] }),
      hostileValue,
    );
    const sku = fc.constantFrom(...baseSkus, 'missing', 'a"b', 'ü', '%2F..%2F..%2Fetc%2Fpasswd');
    await fc.assert(fc.asyncProperty(sku, body, async (name, value) => {
      n++;
      const before = await counts();
      const series = await t.store.getSeriesMany(datasetId, baseSkus);
      const res = await t.app.inject({ method: 'PATCH', url: `/api/datasets/${datasetId}/skus/${encodeURIComponent(name)}`, headers: { 'content-type': 'application/json' }, payload: toJson(value) });
      const after = await judge(res, before);
      if (res.statusCode >= 400) expect(await t.store.getSeriesMany(datasetId, baseSkus)).toEqual(series);
      else expect(after.jobs - before.jobs).toBe(res.json().jobsCreated);
    }), { numRuns: runs });
    report('PATCH /api/datasets/:id/skus/:sku', n);
  });

  it('GET /api/jobs/status with any query string: 200, a 400 naming the parameter, or a 404 naming datasetId', async () => {
    let n = 0;
    const param = fc.constantFrom('status', 'limit', 'cursor', 'batchId', 'sku', 'datasetId', '__proto__', 'constructor', 'limit[]', 'status[0]');
    const value = fc.oneof(fc.constantFrom(...numbersAsStrings, 'pending,running', 'bogus', '0', '1001', '-1', '1.5', '%00', '%FF%FE', 'a'.repeat(5000)), fc.string({ maxLength: 20 }));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(param, value), { maxLength: 4 }), async (pairs) => {
      n++;
      const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&');
      const before = await counts();
      const res = await t.app.inject({ method: 'GET', url: `/api/jobs/status?${query}` });
      await judge(res, before);
      // No dataset exists here: a datasetId the query parses names none.
      expect([200, 400, 404]).toContain(res.statusCode);
      if (res.statusCode === 404) expect(res.json().details[0].path).toBe('datasetId');
    }), { numRuns: runs });
    report('GET /api/jobs/status query strings', n);
  });
});
