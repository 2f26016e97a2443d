import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, storeKinds, type TestDatabase } from '../../tests/support/test-database.js';
import type { Store } from '../stores/store.js';
import { defaultBodyLimitBytes } from './api-config.js';
import { buildApp } from './app.js';
import { didYouMean } from './query-names.js';

const months = (n: number) => Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const csv = ['sku,date,sales', ...months(24).map((d, i) => `A,${d},${10 + (i % 5)}`)].join('\n') + '\n';

function multipart(fields: Array<[string, string]>, filename = 'hist.csv'): { payload: string; headers: Record<string, string> } {
  const boundary = 'xXxBoundaryxXx';
  const parts = fields.map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
  return { payload: parts.join(''), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * The edge checks of every /api route (request-checks.ts), through the real app on a real SQLite
 * file and, with DATABASE_URL, a PostgreSQL schema: a NUL in any string is refused alike on both
 * (PostgreSQL answered 500 "invalid byte sequence for encoding UTF8: 0x00"; SQLite stored it), and
 * an unknown query parameter is a 400 naming it (it was ignored, widening the answer).
 */
describe.each(storeKinds('edge checks of the API'))('on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let datasetId: string;
  const logs: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('request-checks', kind);
    store = await db.open();
    await store.migrate();
    const sink = new Writable({ write(chunk, _e, done) { logs.push(String(chunk)); done(); } });
    app = await buildApp({ store, logger: pino({ level: 'info' }, sink), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
    const created = await app.inject({ method: 'POST', url: '/api/datasets?name=base&createJobs=false', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(created.statusCode, created.body).toBe(201);
    datasetId = created.json().datasetId;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await db.cleanup();
  });

  it('refuses a NUL character anywhere the API takes a string: 400 naming the field, 404 naming a path id; nothing stored, no error logged', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: Array<{ method: 'GET' | 'POST' | 'PATCH' | 'PUT'; url: string; payload?: string; headers?: Record<string, string>; status: number; path: string }> = [
      { method: 'GET', url: '/api/jobs/status?sku=%00', status: 400, path: 'sku' },
      { method: 'GET', url: '/api/jobs/status?datasetId=%00', status: 400, path: 'datasetId' },
      { method: 'GET', url: '/api/jobs/status?batchId=a%00', status: 400, path: 'batchId' },
      { method: 'GET', url: '/api/datasets/%00', status: 404, path: 'id' },
      { method: 'GET', url: `/api/datasets/${datasetId}/skus?search=%00`, status: 400, path: 'search' },
      { method: 'GET', url: `/api/datasets/${datasetId}/skus/A%00`, status: 404, path: 'sku' },
      { method: 'PUT', url: `/api/datasets/${datasetId}/skus/A/override`, payload: '{"modelId":"na\\u0000ive"}', headers: json, status: 400, path: 'modelId' },
      { method: 'POST', url: '/api/datasets?name=a%00b', payload: csv, headers: { 'content-type': 'text/csv' }, status: 400, path: 'name' },
      { method: 'POST', url: '/api/datasets', ...multipart([['name', 'a\u0000b']]), status: 400, path: 'name' },
      { method: 'POST', url: '/api/datasets', ...multipart([], 'a\u0000b.csv'), status: 400, path: 'filename' },
      { method: 'POST', url: `/api/datasets/${datasetId}/actuals`, ...multipart([['absentSkus', 'keep\u0000']]), status: 400, path: 'absentSkus' },
      { method: 'POST', url: '/api/jobs/cancel', payload: '{"sku":"\\u0000"}', headers: json, status: 400, path: 'sku' },
      { method: 'POST', url: '/api/datasets/sample', payload: '{"skus":2,"name":"s\\u0000"}', headers: json, status: 400, path: 'name' },
      {
        method: 'POST', url: '/api/jobs', headers: json, status: 400, path: 'data[1].sku',
        payload: JSON.stringify({ data: [{ sku: 'AB', date: '2024-01-01', sales: 1 }, { sku: 'A\u0000B', date: '2024-02-01', sales: 1 }], models: ['naive'] }),
      },
    ];
    const datasetsBefore = (await store.listDatasets()).length;
    for (const { status, path, ...request } of cases) {
      const res = await app.inject(request);
      const what = `${request.method} ${request.url}`;
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().details, what).toEqual([{ path, message: expect.stringContaining('contains a NUL character') }]);
    }
    expect((await store.listDatasets()).length).toBe(datasetsBefore);
    expect(logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it('refuses an unknown query parameter on every route, naming it (and the near match it most likely meant)', async () => {
    const cases: Array<[string, string, string | undefined]> = [
      [`/api/datasets/${datasetId}/forecasts.csv?snapshotId=1`, 'snapshotId', 'snapshot'],
      [`/api/jobs/status?dataset_id=${datasetId}&limit=0`, 'dataset_id', 'datasetId'],
      [`/api/datasets/${datasetId}/skus?bogus=1`, 'bogus', undefined],
      [`/api/datasets/${datasetId}/forecasts?snapshotid=1`, 'snapshotid', 'snapshot'],
      [`/api/datasets/${datasetId}/accuracy?snapshotId=1`, 'snapshotId', 'snapshot'],
      [`/api/datasets?nmae=x`, 'nmae', undefined],
      ['/api/models?x=1', 'x', undefined],
      ['/api/jobs/1?withResult=1', 'withResult', undefined],
    ];
    for (const [url, path, near] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      const message = `unknown field '${path}'${near ? ` (did you mean '${near}'?)` : ''}`;
      expect(res.json().details, url).toEqual([{ path, message }]);
    }
    // What our own clients send still answers.
    // ... and so do a health probe and the contract with a monitor's cache-buster (they take no
    // parameter to misspell), and any route with `_`, the cache-buster jQuery and many clients add.
    for (const url of [`/api/jobs/status?datasetId=${datasetId}&limit=0&status=pending,running`, `/api/datasets/${datasetId}/skus?search=A&limit=5&offset=0&sort=sku`, `/api/datasets/${datasetId}/forecasts.csv?delimiter=semicolon&decimal=comma&bom=true`, '/api/health', '/api/health?_=1733500000', '/api/openapi.json?v=2', `/api/datasets/${datasetId}?_=123`, `/api/jobs/status?limit=0&_=1`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    }
  });

  it('a refused media type (415) names the type received and what to send, on every route', async () => {
    const cases: Array<[string, string, string, string]> = [
      // curl --data-binary's default type.
      ['/api/datasets?dryRun', 'application/x-www-form-urlencoded', 'a dataset upload is a CSV file', 'send text/csv, an .xlsx'],
      [`/api/datasets/${datasetId}/actuals`, 'application/x-www-form-urlencoded', 'an actuals upload is a CSV file', 'send text/csv, an .xlsx'],
      ['/api/datasets', 'application/json', 'a dataset upload is a CSV file', 'send text/csv, an .xlsx'],
      [`/api/datasets/${datasetId}/cleaning`, 'application/xml', 'a cleaning upload is a CSV file', 'send text/csv, not application/xml'],
      ['/api/jobs', 'application/xml', 'a JSON route takes application/json, not application/xml', 'a JSON route takes application/json, not application/xml'],
      ['/api/jobs/cancel', 'application/x-www-form-urlencoded', 'a JSON route takes application/json, not application/x-www-form-urlencoded', 'a JSON route takes application/json'],
      ['/api/datasets/sample', 'multipart/form-data; boundary=x', 'a JSON route takes application/json, not multipart/form-data; boundary=x', 'a JSON route takes application/json'],
    ];
    for (const [url, type, error, detail] of cases) {
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload: type === 'application/json' ? '{"a":1}' : 'a=1' });
      expect(res.statusCode, `${url} ${type}: ${res.body}`).toBe(415);
      expect(res.json().error, url).toBe(error);
      expect(res.json().details, url).toEqual([{ path: 'headers.content-type', message: expect.stringContaining(detail) }]);
      expect(res.json().details[0].message, url).toContain(type);
    }
  });

  it('a body that is no JSON object says it must be one (it read "the body is a JSON object")', async () => {
    for (const [url, payloads] of [['/api/jobs', ['null', '[]', '"x"']], ['/api/datasets/sample', ['[]', '"x"']]] as const) {
      for (const payload of payloads) {
        const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
        expect(res.statusCode, `${url} ${payload}`).toBe(400);
        expect(res.json().details, `${url} ${payload}`).toEqual([{ path: 'body', message: 'the body must be a JSON object' }]);
      }
    }
  });
});

describe('didYouMean', () => {
  it('names the near match, or nothing', () => {
    expect(didYouMean('snapshotId', ['snapshot', 'sku'])).toBe('snapshot');
    expect(didYouMean('dataset_id', ['datasetId', 'batchId'])).toBe('datasetId');
    expect(didYouMean('limt', ['limit', 'offset'])).toBe('limit');
    expect(didYouMean('bogus', ['limit', 'offset', 'search'])).toBeUndefined();
    expect(didYouMean('s', ['sku', 'search'])).toBeUndefined();
  });
});
