import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAllJobs } from '../datasets/testing/complete-jobs.js';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { openapiDocument } from './api-types.js';
import { installErrorHandling } from './errors.js';
import { routePlugins } from './routes/index.js';

/**
 * The response schemas against what the routes really answer. The response serializer keeps only
 * the fields a schema declares and refuses (500) a body that does not fit: a domain field the
 * schema forgot would silently vanish for every client, a wrong one would break a route. Here
 * every JSON answer of a whole planning cycle, on the real routes over a real SQLite file with
 * the real engine's results, is serialized twice: by the route's schema and by plain JSON; the
 * two must be equal, and every route of the OpenAPI document must have been met.
 */

interface Seen {
  route: string;
  status: number;
  dropped: string[];
  refused: string | null;
}

/** An answer's route, status and the headers the document must declare when sent (Location, ETag). */
interface Answered {
  route: string;
  status: number;
  headers: string[];
}
/** The response headers a client acts on, checked against the document's declarations. */
const declaredHeaders = ['location', 'etag'];

/** Paths in `raw` that are missing from `kept` (`items[0].forecast.intervals`). */
function dropped(raw: unknown, kept: unknown, at = ''): string[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((v, i) => dropped(v, Array.isArray(kept) ? kept[i] : undefined, `${at}[${i}]`));
  }
  if (raw && typeof raw === 'object') {
    const k = (kept && typeof kept === 'object' ? kept : {}) as Record<string, unknown>;
    return Object.entries(raw).flatMap(([key, v]) => {
      const where = at ? `${at}.${key}` : key;
      return key in k ? dropped(v, k[key], where) : [where];
    });
  }
  return [];
}

/** The app's routes and error handling (as buildApp wires them) with a serializer that reports what it changed. */
async function spyingApp(store: Store, seen: Seen[], answered: Answered[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (request, reply, payload) => {
    const headers = declaredHeaders.filter((name) => reply.getHeader(name) !== undefined);
    answered.push({ route: `${request.method} ${request.routeOptions.url}`, status: reply.statusCode, headers });
    return payload;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler((route) => {
    const serialize = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
    const name = `${route.method} ${route.url}`;
    const status = Number(route.httpStatus);
    return (data: unknown) => {
      const plain = JSON.parse(JSON.stringify(data)) as unknown;
      try {
        const out = serialize(data);
        seen.push({ route: name, status, dropped: dropped(plain, JSON.parse(out)), refused: null });
        return out;
      } catch (error) {
        const cause = (error as { cause?: { issues?: unknown } }).cause;
        seen.push({ route: name, status, dropped: [], refused: JSON.stringify(cause?.issues ?? String(error)) });
        throw error;
      }
    };
  });
  installErrorHandling(app);
  for (const plugin of routePlugins) await app.register(plugin, { store });
  await app.ready();
  return app;
}

/**
 * Fields the store returns that the API keeps back on purpose: a job's inputHash (the cache key of
 * its input, internal), and results in the jobs list (GET /api/jobs/:id has them; a page of 1,000
 * jobs with their forecasts would be megabytes polled every second).
 */
function keptBack(route: string, field: string): boolean {
  if (/(^|\.)inputHash$/.test(field) && route.includes('/api/jobs')) return true;
  return route === 'GET /api/jobs/status' && /^jobs\[\d+\]\.result$/.test(field);
}

const models = ['seasonal_naive', 'simple_exponential_smoothing'];
const mapping = { sku: ['store', 'item'], attributes: ['category'], date: 'month', quantity: 'units' };

/** Two stores x two items, 30 months, a seasonal pattern and one spike to suggest as an outlier. */
function storeItemCsv(months: number, from = 0): string {
  let csv = 'store,item,category,month,units\n';
  for (const store of ['S1', 'S2']) {
    for (const item of ['I1', 'I2']) {
      for (let m = from; m < months; m++) {
        const date = `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
        const base = (store === 'S1' ? 40 : 90) + (item === 'I1' ? 0 : 15);
        const v = Math.round(base * (1 + 0.3 * Math.sin((2 * Math.PI * m) / 12))) + (m % 3) + (m === 7 && item === 'I1' ? 400 : 0);
        csv += `${store},${item},${item === 'I1' ? 'dairy' : 'frozen'},${date},${v}\n`;
      }
    }
  }
  return csv;
}

let dir: string;
let store: Store;
let app: FastifyInstance;
const seen: Seen[] = [];
const answered: Answered[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-schemas-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
  app = await spyingApp(store, seen, answered);
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, status = 200, headers: Record<string, string> = {}) {
  const csv = typeof payload === 'string';
  const res = await app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as string, headers: { ...headers, 'content-type': csv ? 'text/csv' : 'application/json' } }) });
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 400)}`).toBe(status);
  if (status === 304) return { etag: res.headers.etag };
  const type = String(res.headers['content-type']);
  if (type.startsWith('application/json')) return res.json();
  // The only other answers are the CSV downloads: sent as the document says, as a file to save.
  expect(type, `${method} ${url}`).toBe('text/csv; charset=utf-8');
  expect(String(res.headers['content-disposition']), `${method} ${url}`).toMatch(/^attachment; filename="[\w.-]+\.csv"(; filename\*=UTF-8''[\w.~%-]+\.csv)?$/);
  return res.body;
}

describe('the response schemas', () => {
  it('a whole planning cycle through every route: no answer loses a field to its schema or is refused by it', async () => {
    await call('GET', '/api/health');
    await call('GET', '/api/models');
    const query = `models=${models.join(',')}&mapping=${encodeURIComponent(JSON.stringify(mapping))}`;
    const dry = await call('POST', `/api/datasets?${query}&dryRun=true`, storeItemCsv(30));
    expect(dry).toMatchObject({ dryRun: true, datasetId: null, columns: ['store', 'item', 'category', 'month', 'units'] });
    const created = await call('POST', `/api/datasets?${query}`, storeItemCsv(30), 201);
    const id = created.datasetId as string;
    const refused = await call('POST', '/api/datasets', 'nothing,useful\n1,2\n', 400);
    expect(refused.error).toEqual(expect.any(String));
    await call('POST', '/api/datasets/sample', { skus: 3, models: ['seasonal_naive'], createJobs: false }, 201);
    expect(await call('GET', '/api/datasets/sample.csv?skus=2')).toMatch(/^sku,date,sales\n/);
    await call('GET', '/api/datasets');
    await call('GET', `/api/datasets/${id}`);
    await call('GET', '/api/datasets/nope', undefined, 404);
    await completeAllJobs(store);

    // The cleaning step.
    const skus = await call('GET', `/api/datasets/${id}/skus?limit=10`);
    expect(skus.items[0].attributes).toMatchObject({ category: expect.any(String) });
    await call('GET', `/api/datasets/${id}/skus?sort=error&order=desc`);
    const sku = skus.items[0].sku as string;
    const series = await call('GET', `/api/datasets/${id}/skus/${encodeURIComponent(sku)}`);
    expect(series.outliers.length).toBeGreaterThan(0);
    await call('PATCH', `/api/datasets/${id}/skus/${encodeURIComponent(sku)}`, { edits: [{ date: series.dates[3], value: 50 }], acceptOutliers: true });
    await call('POST', `/api/datasets/${id}/cleaning`, `sku,date,value\n${sku},${series.dates[4]},60\nZ,2020-01-01,1\n`);
    await call('PUT', `/api/datasets/${id}/skus/${encodeURIComponent(sku)}/override`, { modelId: 'seasonal_naive' });
    await call('POST', '/api/jobs', { datasetId: id, skus: [sku], models: ['seasonal_naive'], reason: 'manual_trigger' }, 201);
    // The rows' form makes a dataset, and its 201 says where (Location).
    const rows = Array.from({ length: 24 }, (_, m) => ({ sku: 'R1', date: `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`, sales: 10 + (m % 5) }));
    const fromRows = await call('POST', '/api/jobs', { data: rows, models: ['naive'] }, 201);
    await call('DELETE', `/api/datasets/${fromRows.datasetId as string}`);
    await completeAllJobs(store);

    // Results, snapshots, actuals, accuracy, totals.
    const forecasts = await call('GET', `/api/datasets/${id}/forecasts?limit=10`);
    expect(forecasts.items.some((i: { forecast: { intervals: unknown[] } | null }) => (i.forecast?.intervals.length ?? 0) > 0)).toBe(true);
    expect(await call('GET', `/api/datasets/${id}/forecasts.csv`)).toMatch(/^sku,store,item,category,date,model/); // the attribute columns after sku (review-planner finding 13)
    expect(await call('GET', `/api/datasets/${id}/metrics.csv`)).toMatch(/^sku,/);
    const { snapshots } = await call('GET', `/api/datasets/${id}/snapshots`);
    expect(snapshots).toHaveLength(1);
    const appended = await call('POST', `/api/datasets/${id}/actuals`, storeItemCsv(33, 30));
    expect(appended.revisions).toEqual([]);
    await call('GET', `/api/datasets/${id}/actuals`);
    await completeAllJobs(store);
    await call('GET', `/api/datasets/${id}/forecasts?snapshot=${snapshots[0].id}&sku=${encodeURIComponent(sku)}`);
    expect(await call('GET', `/api/datasets/${id}/forecasts.csv?snapshot=${snapshots[0].id}`)).toMatch(/^sku,store,item,category,date,model/);
    const accuracy = await call('GET', `/api/datasets/${id}/accuracy`);
    expect(accuracy.portfolio.points).toBeGreaterThan(0);
    expect(await call('GET', `/api/datasets/${id}/accuracy.csv`)).toMatch(/^sku,model,step/);
    const byCategory = await call('GET', `/api/datasets/${id}/aggregates?by=category`);
    expect(byCategory.groups).toHaveLength(2);
    await call('GET', `/api/datasets/${id}/aggregates?by=colour`, undefined, 400);
    // The snapshot before the actuals, no longer the newest, can go.
    const kept = (await call('GET', `/api/datasets/${id}/snapshots`)).snapshots;
    expect(kept.length).toBeGreaterThan(1);
    expect((await call('PATCH', `/api/datasets/${id}/snapshots/${snapshots[0].id}`, { name: 'S&OP Dec' })).snapshot.name).toBe('S&OP Dec');
    expect(await call('DELETE', `/api/datasets/${id}/snapshots/${snapshots[0].id}`)).toEqual({ deleted: { id: snapshots[0].id, bytes: snapshots[0].bytes, name: 'S&OP Dec' } });

    // A settings change leaves pending work for the operator's verbs.
    await call('PATCH', `/api/datasets/${id}/settings`, { horizon: 6 });
    const status = await call('GET', `/api/jobs/status?datasetId=${id}&status=pending&limit=5`);
    // A poll that sends back the ETag it was given gets a 304 while nothing changed.
    const polled = answered.findLast((a) => a.route === 'GET /api/jobs/status');
    expect(polled?.headers).toContain('etag');
    const etag = (await app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${id}&status=pending&limit=5` })).headers.etag as string;
    expect((await call('GET', `/api/jobs/status?datasetId=${id}&status=pending&limit=5`, undefined, 304, { 'if-none-match': etag })).etag).toBe(etag);
    const jobId = status.jobs[0].id as number;
    await call('GET', `/api/jobs/${jobId}`);
    await call('POST', `/api/jobs/${jobId}/cancel`);
    await call('POST', `/api/jobs/${jobId}/retry`);
    await call('POST', '/api/jobs/cancel', { datasetId: id });
    // The cancelled change leaves unmet work; queue it, then cancel that too for the verbs below.
    expect((await call('GET', `/api/datasets/${id}/unmet-work`)).skus).toBeGreaterThan(0);
    expect((await call('POST', `/api/datasets/${id}/unmet-work`)).jobsCreated).toBeGreaterThan(0);
    await call('POST', '/api/jobs/cancel', { datasetId: id });
    await call('POST', '/api/jobs/retry', { status: ['cancelled'] });
    await call('POST', '/api/jobs/clear-completed');
    await call('POST', '/api/jobs/reset');
    await call('DELETE', `/api/datasets/${id}`);

    const problems = seen
      .map((s) => ({ ...s, dropped: s.dropped.filter((field) => !keptBack(s.route, field)) }))
      .filter((s) => s.refused !== null || s.dropped.length > 0);
    expect(problems, 'answers the schemas changed').toEqual([]);

    // Every JSON route the document describes answered at least once (a new route: add it above).
    const document = (await openapiDocument()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    const documented = Object.entries(document.paths).flatMap(([route, methods]) => Object.entries(methods)
      .filter(([, op]) => Object.entries(op.responses).some(([code, r]) => code.startsWith('2') && r.content?.['application/json']))
      .map(([method]) => `${method.toUpperCase()} ${route.replace(/\{(\w+)\}/g, ':$1')}`));
    const met = new Set(seen.filter((s) => s.status < 300).map((s) => s.route));
    expect(documented.length).toBeGreaterThan(25);
    expect(documented.filter((r) => !met.has(r)), 'documented routes the cycle above never called').toEqual([]);

    // Every status answered is declared, with the Location and ETag headers it carried; and every
    // Location or ETag the document declares was sent at least once (a declaration of nothing fails).
    const responsesOf = (route: string) => {
      const [method, url] = route.split(' ');
      return document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.responses as Record<string, { headers?: Record<string, unknown> }> | undefined;
    };
    const undeclared = answered.flatMap((a) => {
      const responses = responsesOf(a.route);
      if (!responses) return [];
      const response = responses[String(a.status)];
      if (!response) return [`${a.route} ${a.status}`];
      const names = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
      return a.headers.filter((h) => !names.includes(h)).map((h) => `${a.route} ${a.status} ${h}`);
    });
    expect([...new Set(undeclared)], 'statuses and headers answered but not declared').toEqual([]);
    const declared = Object.entries(document.paths).flatMap(([url, methods]) => Object.entries(methods).flatMap(([method, op]) =>
      Object.entries(op.responses as Record<string, { headers?: Record<string, unknown> }>).flatMap(([code, r]) => Object.keys(r.headers ?? {})
        .filter((h) => declaredHeaders.includes(h.toLowerCase()))
        .map((h) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')} ${code} ${h.toLowerCase()}`))));
    const sent = new Set(answered.flatMap((a) => a.headers.map((h) => `${a.route} ${a.status} ${h}`)));
    expect(declared.length).toBeGreaterThanOrEqual(5);
    expect(declared.filter((d) => !sent.has(d)), 'headers declared but never sent').toEqual([]);
  }, 120_000);

  it('every route of the OpenAPI document declares its success answer, and its refusals in the one error shape', async () => {
    const document = (await openapiDocument()) as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }> }> }>>;
    };
    const missing: string[] = [];
    const badErrors: string[] = [];
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const responses = op.responses ?? {};
        // Fastify answers 415 to a body of a media type the route does not parse, 413 over the limit.
        if ((op as { requestBody?: unknown }).requestBody && !('415' in responses && '413' in responses)) badErrors.push(`${method.toUpperCase()} ${route} 413/415 undeclared`);
        const success = Object.entries(responses).filter(([code, r]) => code.startsWith('2') && Object.values(r.content ?? {}).some((c) => c.schema));
        if (success.length === 0) missing.push(`${method.toUpperCase()} ${route}`);
        for (const [code, r] of Object.entries(responses)) {
          if (!code.startsWith('4')) continue;
          const schema = r.content?.['application/json']?.schema;
          if (!schema?.properties?.error || !schema.properties.details || !schema.required?.includes('details')) badErrors.push(`${method.toUpperCase()} ${route} ${code}`);
        }
      }
    }
    expect(Object.keys(document.paths).length).toBeGreaterThan(20);
    expect(missing, 'routes without a response schema').toEqual([]);
    expect(badErrors, 'refusals not in the error shape').toEqual([]);
  }, 60_000);
});
