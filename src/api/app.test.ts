import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJob, useApiTestApps } from '../../tests/support/api-test-app.js';
import type { WorkerInfo } from '../queue/job.js';

const start = useApiTestApps();

/** The value of one sample line, e.g. sample(text, 'skucast_jobs{status="pending"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('health', () => {
  it('answers 200 with the store and the registered workers', async () => {
    const { app, store } = await start();
    const now = Date.now();
    await store.heartbeatWorker({ workerId: 'w1', host: 'h', pid: 11, concurrency: 2, startedAt: now, lastHeartbeatAt: now, running: 1, status: 'running' });
    await store.heartbeatWorker({ workerId: 'old', host: 'h', pid: 12, concurrency: 2, startedAt: now - 7e6, lastHeartbeatAt: now - 4e6, running: 0, status: 'stopped' });
    await store.heartbeatWorker({ workerId: 'lost', host: 'h', pid: 13, concurrency: 2, startedAt: now - 7e6, lastHeartbeatAt: now - 120_000, running: 1, status: 'running' });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', database: 'ok', registry: 'ok', store: 'sqlite' });
    const byId = Object.fromEntries(body.workers.map((w: { workerId: string }) => [w.workerId, w]));
    expect(Object.keys(byId).sort()).toEqual(['lost', 'w1']); // a worker stopped over an hour ago is left out
    expect(byId.w1).toEqual(expect.objectContaining({ pid: 11, concurrency: 2, running: 1, status: 'running', stale: false }));
    expect(byId.lost.stale).toBe(true); // no heartbeat for two minutes
  });

  it("judges stale and forgets stopped workers, in /api/health and skucast_workers, by the age the store measured on the database's clock (heartbeatAgeMs)", async () => {
    const { app, store } = await start();
    const now = Date.now();
    const base = { host: 'h', pid: 1, concurrency: 2, startedAt: now - 7e6, running: 0 };
    // Hosts 10 minutes (or two hours) off the API's clock: their lastHeartbeatAt says the opposite
    // of their age, so a route that compared it with Date.now() would answer each one wrongly.
    const rows: WorkerInfo[] = [
      { ...base, workerId: 'behind-1', status: 'running', lastHeartbeatAt: now - 600_000, heartbeatAgeMs: 1_000 },
      { ...base, workerId: 'behind-2', status: 'running', lastHeartbeatAt: now - 600_000, heartbeatAgeMs: 1_000 },
      { ...base, workerId: 'ahead', status: 'running', lastHeartbeatAt: now + 600_000, heartbeatAgeMs: 120_000 },
      { ...base, workerId: 'stopped-just-now', status: 'stopped', lastHeartbeatAt: now - 7_200_000, heartbeatAgeMs: 1_000 },
      { ...base, workerId: 'stopped-long-ago', status: 'stopped', lastHeartbeatAt: now + 600_000, heartbeatAgeMs: 7_200_000 },
    ];
    store.listWorkers = async () => rows;
    const health = (await app.inject({ method: 'GET', url: '/api/health' })).json();
    const stale = Object.fromEntries(health.workers.map((w: { workerId: string; stale: boolean }) => [w.workerId, w.stale]));
    expect(stale).toEqual({ 'behind-1': false, 'behind-2': false, ahead: true, 'stopped-just-now': false });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(['running', 'stale', 'stopped'].map((status) => sample(metrics, `skucast_workers{status="${status}"}`))).toEqual([2, 1, 2]);
    expect(sample(metrics, 'skucast_worker_registry_readable')).toBe(1);
  });

  it('answers 200 degraded, saying the registry is unreadable, not the database down, when only the worker registry read fails; /metrics still answers', async () => {
    const { app, store } = await start();
    // A runtime role not granted worker_heard (041) by whoever migrated.
    store.listWorkers = async () => {
      throw Object.assign(new Error('permission denied for table worker_heard'), { code: '42501' });
    };
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({
      status: 'degraded', database: 'ok', registry: 'unreadable', store: 'sqlite', workers: [],
      error: 'worker registry unreadable: permission denied for table worker_heard',
    });
    // As the queue's status answers it: the jobs, with the worker counts unknown.
    const status = await app.inject({ method: 'GET', url: '/api/jobs/status' });
    expect(status.statusCode).toBe(200);
    expect(status.json().summary).toMatchObject({ liveWorkers: null, drainingWorkers: null });
    // /metrics answers the rest, and says the registry is unreadable rather than "no workers".
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(sample(metrics.body, 'skucast_worker_registry_readable')).toBe(0);
    expect(sample(metrics.body, 'skucast_jobs{status="pending"}')).toBe(0);
    expect(metrics.body).not.toMatch(/^skucast_workers\{/m);
  });

  it('logs an unreadable worker registry in /metrics once when it starts failing and once when it is back, not per scrape', async () => {
    const { app, store, logs } = await start();
    const read = store.listWorkers.bind(store);
    let failing = true;
    // Any read error, not only a missing grant: here a statement timeout under load.
    store.listWorkers = async () => {
      if (failing) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      return read();
    };
    const registryLines = () => logs.map((l) => JSON.parse(l)).filter((l) => l.event === 'registry-read');
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/metrics' });
    expect(registryLines().map((l) => [l.readable, l.err])).toEqual([[false, 'canceling statement due to statement timeout']]);
    failing = false;
    for (let i = 0; i < 2; i++) await app.inject({ method: 'GET', url: '/metrics' });
    expect(registryLines().map((l) => l.readable)).toEqual([false, true]);
  });

  it('answers 503 when the database is gone, and so do the job routes', async () => {
    const { app, store } = await start();
    await store.close(); // a real closed store: its calls throw
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', database: 'unreachable', registry: 'unreadable' });
    const status = await app.inject({ method: 'GET', url: '/api/jobs/status' });
    expect(status.statusCode).toBe(503);
    expect(status.json().error).toMatch(/^database unavailable: /);
    expect(status.json().details).toEqual([]);
  });
});

describe('errors have one shape', () => {
  it('404 for an unknown API route', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'no route GET /api/nope', code: 'not_found', details: [{ path: 'url', message: 'no route GET /api/nope' }] });
  });

  it('404 and 409 name the parameter they are about (id, sku, snapshot), as every other refusal does', async () => {
    const { app, store } = await start();
    const { firstId } = await store.enqueue([newJob()], { batchId: 'b' });
    await store.cancel({ ids: [firstId!] });
    const paths = async (method: 'GET' | 'POST' | 'PUT', url: string, status: number, payload?: object) => {
      const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(status);
      const body = res.json();
      expect(body.details.every((d: { message: string }) => d.message.length > 0)).toBe(true);
      return body.details.map((d: { path: string }) => d.path);
    };
    expect(await paths('GET', '/api/jobs/99999', 404)).toEqual(['id']);
    expect(await paths('POST', '/api/jobs/99999/cancel', 404)).toEqual(['id']);
    expect(await paths('POST', `/api/jobs/${firstId}/cancel`, 409)).toEqual(['id']);
    expect(await paths('GET', '/api/datasets/nope', 404)).toEqual(['id']);
    const csv = 'sku,date,sales\n' + Array.from({ length: 24 }, (_, i) => `A,${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${10 + i}`).join('\n');
    const imported = await app.inject({ method: 'POST', url: '/api/datasets?createJobs=false', headers: { 'content-type': 'text/csv' }, payload: csv });
    const id = imported.json().datasetId;
    expect(await paths('GET', `/api/datasets/${id}/skus/ZZ`, 404)).toEqual(['sku']);
    expect(await paths('PUT', `/api/datasets/${id}/skus/ZZ/override`, 404, { modelId: null })).toEqual(['sku']);
    expect(await paths('GET', `/api/datasets/${id}/forecasts?snapshot=99999`, 404)).toEqual(['snapshot']);
    expect(await paths('GET', `/api/datasets/${id}/accuracy`, 404)).toEqual(['snapshot']);
    // A refusal Fastify makes before the route (a media type no parser takes) names the header.
    const xml = await app.inject({ method: 'POST', url: '/api/jobs/cancel', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().details.map((d: { path: string }) => d.path)).toEqual(['headers.content-type']);
  });

  it('415 naming headers.content-type when a JSON route gets JSON text as text/plain, and nothing is written', async () => {
    const { app, store } = await start();
    const month = (i: number) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
    const csv = 'sku,date,sales\n' + Array.from({ length: 30 }, (_, i) => `A,${month(i)},${10 + i}`).join('\n');
    const id = (await app.inject({ method: 'POST', url: '/api/datasets?createJobs=false', headers: { 'content-type': 'text/csv' }, payload: csv })).json().datasetId;
    const before = await store.getDataset(id);
    const asText = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: string) =>
      app.inject({ method, url, headers: { 'content-type': 'text/plain' }, payload });

    const jobs = await asText('POST', '/api/jobs', JSON.stringify({ datasetId: id, skus: ['A'], models: before!.settings.models }));
    expect(jobs.statusCode).toBe(415);
    expect(jobs.json().details).toEqual([expect.objectContaining({ path: 'headers.content-type' })]);
    const settings = await asText('PATCH', `/api/datasets/${id}/settings`, JSON.stringify({ horizon: 3 }));
    expect(settings.statusCode).toBe(415);
    expect(settings.json().details).toEqual([expect.objectContaining({ path: 'headers.content-type' })]);
    expect((await store.summary()).total).toBe(0);
    expect((await store.getDataset(id))!.settings).toEqual(before!.settings);

    // Every other route that takes a body and does not declare a CSV upload answers the same way
    // (a route beside an upload's parsers, e.g. the sample import, must not take the text as a file).
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
    };
    const uploads = new Set(['POST /api/datasets', 'POST /api/datasets/{id}/actuals', 'POST /api/datasets/{id}/cleaning']);
    const answered: string[] = [];
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method) || uploads.has(`${method.toUpperCase()} ${route}`)) continue;
        if (Object.keys(op.requestBody?.content ?? {}).some((type) => type !== 'application/json')) continue;
        const url = route.replace('{id}', String(id)).replace('{sku}', 'A');
        const res = await asText(method.toUpperCase() as 'POST', url, '{}');
        answered.push(`${method.toUpperCase()} ${route} ${res.statusCode} ${res.json().details?.[0]?.path}`);
      }
    }
    expect(answered.length).toBeGreaterThan(10);
    expect(answered.filter((a) => !a.endsWith(' 415 headers.content-type'))).toEqual([]);
    expect((await store.summary()).total).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/datasets' })).json().datasets).toHaveLength(1);

    // An empty text/plain body is no body (fetch(url, {method: 'POST', body: ''}) sends one): a
    // bare POST answers as without a body; a JSON route that needs one says what it lacks.
    const reset = await asText('POST', '/api/jobs/clear-completed', '');
    expect(reset.statusCode, reset.body).toBe(200);
    const emptyJobs = await asText('POST', '/api/jobs', '');
    expect(emptyJobs.statusCode).toBe(400);
    expect(emptyJobs.json().details[0].path).not.toBe('headers.content-type');
    // The uploads still read text/plain as their file.
    const upload = await asText('POST', '/api/datasets?createJobs=false', csv);
    expect(upload.statusCode, upload.body).toBe(201);
  });

  it('400 for malformed JSON, naming the body, and nothing is written', async () => {
    const { app, store } = await start();
    const res = await app.inject({ method: 'POST', url: '/api/jobs', headers: { 'content-type': 'application/json' }, payload: '{"models": [' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'malformed JSON body', details: [{ path: 'body' }] });
    expect((await store.summary()).total).toBe(0);
  });

  it('413 when the body is over the limit', async () => {
    const { app, store } = await start({ bodyLimitBytes: 1024 });
    const data = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, date: '2024-01-01', sales: i }));
    const res = await app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive'] } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'request body too large', details: [{ path: 'body' }] });
    expect((await store.summary()).total).toBe(0);
  });
});

describe('bearer token', () => {
  const token = 's3cret-token-value';

  it('is required on /api and /metrics when configured, but not on /api/health', async () => {
    const { app } = await start({ apiToken: token });
    const missing = await app.inject({ method: 'GET', url: '/api/jobs/status' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: 'missing API token', details: [{ path: 'headers.authorization' }] });
    const wrong = await app.inject({ method: 'GET', url: '/api/jobs/status', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('wrong API token');
    const longer = await app.inject({ method: 'GET', url: '/api/jobs/status', headers: { authorization: `Bearer ${token}x` } });
    expect(longer.statusCode).toBe(401);
    const right = await app.inject({ method: 'GET', url: '/api/jobs/status', headers: { authorization: `Bearer ${token}` } });
    expect(right.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('guards a route however its URL is spelt: trailing slashes, escapes, a query', async () => {
    const { app } = await start({ apiToken: token });
    // /metrics/ reached the metrics route (trailing slashes are ignored) past a check of the raw URL
    for (const url of ['/metrics/', '/metrics//', '/metric%73', '/metrics?x=1', '/api/jobs/status/', '/api/jobs/statu%73']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/metrics/', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/health/' })).statusCode).toBe(200);
  });

  it('refuses writes without the token and writes nothing', async () => {
    const { app, store } = await start({ apiToken: token });
    await store.enqueue([newJob()], { batchId: 'b1' });
    const res = await app.inject({ method: 'POST', url: '/api/jobs/reset' });
    expect(res.statusCode).toBe(401);
    expect((await store.summary()).pending).toBe(1);
  });

  it('never appears in the logs', async () => {
    const { app, logs } = await start({ apiToken: token });
    await app.inject({ method: 'GET', url: '/api/jobs/status', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'POST', url: '/api/jobs', headers: { authorization: `Bearer ${token}` }, payload: { skus: ['secret-sku-in-body'], models: ['nope'] } });
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('secret-sku-in-body');
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://evil.test' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the listed origins', async () => {
    const { app } = await start({ corsOrigins: ['http://planner.test'] });
    const ok = await app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://planner.test' } });
    expect(ok.headers['access-control-allow-origin']).toBe('http://planner.test');
    const other = await app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://evil.test' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS', url: '/api/jobs',
      headers: { origin: 'http://planner.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    // A browser on a listed origin may send an Idempotency-Key and read whether the answer was replayed.
    expect(preflight.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    const created = await app.inject({ method: 'POST', url: '/api/datasets/sample', payload: { skus: 1, createJobs: false }, headers: { origin: 'http://planner.test', 'idempotency-key': 'k' } });
    expect(created.statusCode).toBe(201);
    expect(String(created.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(expect.arrayContaining(['Location', 'Idempotent-Replayed', 'Retry-After', 'Allow']));
  });
});

describe('/metrics', () => {
  it('exposes prom-client\'s process metrics and the queue\'s, each with its TYPE', async () => {
    const { app, store } = await start();
    await store.enqueue([newJob({ sku: 'A' }), newJob({ sku: 'B' }), newJob({ sku: 'C' })], { batchId: 'b1' });
    const now = Date.now();
    const base = { host: 'h', concurrency: 1, startedAt: now, lastHeartbeatAt: now, running: 0, status: 'running' as const };
    await store.heartbeatWorker({ ...base, workerId: 'w1', pid: 1, counters: { claimed: 5, completed: 4, fenced: 1 } });
    await store.heartbeatWorker({ ...base, workerId: 'w2', pid: 2, counters: { claimed: 2, completed: 1, rescued: 3 } });
    await store.heartbeatWorker({ ...base, workerId: 'lost', pid: 3, lastHeartbeatAt: now - 120_000 });
    await store.heartbeatWorker({ ...base, workerId: 'done', pid: 4, status: 'stopped', lastHeartbeatAt: now - 120_000 });
    await app.inject({ method: 'GET', url: '/api/jobs/status' });
    await app.inject({ method: 'GET', url: '/api/jobs/123456' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    const types = Object.fromEntries([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(types).toMatchObject({
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_gc_duration_seconds: 'histogram',
      skucast_http_request_duration_seconds: 'histogram',
      skucast_job_duration_seconds: 'histogram',
      skucast_jobs: 'gauge',
      skucast_workers: 'gauge',
      skucast_worker_events_total: 'counter',
      skucast_queue_version: 'counter',
    });
    expect(sample(text, 'skucast_jobs{status="pending"}')).toBe(3);
    expect(sample(text, 'skucast_jobs{status="completed"}')).toBe(0);
    expect(sample(text, 'skucast_worker_events_total{event="claimed"}')).toBe(7);
    expect(sample(text, 'skucast_worker_events_total{event="completed"}')).toBe(5);
    expect(sample(text, 'skucast_worker_events_total{event="rescued"}')).toBe(3);
    expect(sample(text, 'skucast_worker_events_total{event="failed"}')).toBe(0);
    expect(sample(text, 'skucast_worker_events_total{event="released"}')).toBe(0); // exported before any worker releases one
    expect(sample(text, 'skucast_workers{status="running"}')).toBe(2);
    expect(sample(text, 'skucast_workers{status="stale"}')).toBe(1);
    expect(sample(text, 'skucast_workers{status="stopped"}')).toBe(1);
    // w2 falls silent and maintenance forgets it: its counts stay in the sums (a drop would read as a counter reset).
    // (Time moves on for w1 alone: a beat dated before w2's last one no longer replaces it.)
    await store.heartbeatWorker({ ...base, workerId: 'w1', pid: 1, lastHeartbeatAt: now + 120_000, counters: { claimed: 5, completed: 4, fenced: 1 } });
    expect(await store.forgetWorkers(now + 60_000)).toBe(3);
    const after = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(['claimed', 'completed', 'rescued'].map((e) => sample(after, `skucast_worker_events_total{event="${e}"}`))).toEqual([7, 5, 3]);
    expect(sample(after, 'skucast_workers{status="running"}')).toBe(1);
    // Requests by route pattern, never by raw URL.
    expect(sample(text, 'skucast_http_request_duration_seconds_count{method="GET",route="/api/jobs/status",status="200"}')).toBe(1);
    expect(sample(text, 'skucast_http_request_duration_seconds_count{method="GET",route="/api/jobs/:id",status="404"}')).toBe(1);
    // The raw URL never becomes a label (the bare number could appear in a sample's value: a heap of 191123456 bytes did).
    expect(text).not.toContain('/api/jobs/123456');
    for (const line of text.trim().split('\n').filter((l) => !l.startsWith('#') && l !== '')) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_]+="[^"]*"(,[a-zA-Z_]+="[^"]*")*\})? -?([0-9.e+-]+|NaN|Nan|\+Inf)$/); // prom-client writes NaN as "Nan" (Prometheus parses either)
    }
  });

  it('job durations move when jobs finish, and pruning never lowers them', async () => {
    const { app, store } = await start();
    const count = async (outcome: string) => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const series = `skucast_job_duration_seconds_count{model="ets",outcome="${outcome}"}`;
      return text.includes(`${series} `) ? sample(text, series) : 0;
    };
    expect(await count('completed')).toBe(0);
    await store.enqueue([newJob({ sku: 'A', modelId: 'ets' }), newJob({ sku: 'B', modelId: 'ets' }), newJob({ sku: 'C', modelId: 'ets' })], { batchId: 'b' });
    const [a, b, c] = await store.claim({ workerId: 'w', limit: 3, leaseMs: 60_000 });
    await store.complete(a, {});
    await store.complete(b, {});
    await store.fail(c, 'broken input');
    expect(await count('completed')).toBe(2);
    expect(await count('failed')).toBe(1);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'skucast_job_duration_seconds_bucket{model="ets",outcome="completed",le="+Inf"}')).toBe(2);
    expect(sample(text, 'skucast_jobs{status="completed"}')).toBe(2);
    await store.prune({ before: Date.now() + 1, statuses: ['completed', 'failed'] });
    expect(sample((await app.inject({ method: 'GET', url: '/metrics' })).body, 'skucast_jobs{status="failed"}')).toBe(0);
    expect(await count('completed')).toBe(2);
    expect(await count('failed')).toBe(1);
  });

  it('reads each thing once per scrape: the queue summary and the worker list are shared by the metrics built on them', async () => {
    const { app, store } = await start();
    const calls = { summary: 0, listWorkers: 0 };
    const [summary, listWorkers] = [store.summary.bind(store), store.listWorkers.bind(store)];
    store.summary = (...args) => { calls.summary++; return summary(...args); };
    store.listWorkers = () => { calls.listWorkers++; return listWorkers(); };
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(calls).toEqual({ summary: 1, listWorkers: 1 });
    expect(text).toContain('skucast_queue_version ');
    expect(text).toContain('skucast_workers{status="running"} 0');
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(calls).toEqual({ summary: 2, listWorkers: 2 }); // the next scrape reads afresh
  });

  it('answers 503 while the database is unreachable', async () => {
    const { app, store } = await start();
    await store.close();
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(503);
  });
});

describe('OpenAPI and models', () => {
  it('serves the OpenAPI document generated from the zod schemas', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/jobs', '/api/jobs/status', '/api/jobs/{id}', '/api/models', '/api/health']));
    const body = doc.paths['/api/jobs'].post.requestBody.content['application/json'].schema;
    expect(body.properties).toHaveProperty('models');
    expect(doc.paths['/api/jobs/status'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['status', 'limit', 'cursor']));
  });

  it('serves the docs page at /api/docs as HTML under the CSP, open without the token', async () => {
    const { app } = await start({ apiToken: 'a-token-for-the-docs-test' });
    const res = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('swagger-ui');
    expect(res.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script: the CSP would block it
    const spec = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toContain('/api/jobs');
    // The same document at its own address answers alike: open, and the same contract.
    const document = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(document.statusCode).toBe(200);
    expect(document.json().paths).toEqual(spec.json().paths);
    expect((await app.inject({ method: 'GET', url: '/api/jobs/status' })).statusCode).toBe(401);
  });

  it('lists models, methods and defaults from the engine', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/api/models' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.models.length).toBeGreaterThan(0);
    expect(body.models[0]).toEqual(expect.objectContaining({ id: expect.any(String), family: expect.any(String), parameters: expect.any(Array) }));
    expect(body.methods.map((m: { id: string }) => m.id)).toEqual(['grid', 'mle']);
    expect(body.defaults.models.length).toBeGreaterThan(0);
    for (const id of body.defaults.models) expect(body.models.map((m: { id: string }) => m.id)).toContain(id);
    expect(body.defaults).toMatchObject({ method: expect.any(String), horizon: expect.any(Number), holdout: expect.any(Number) });
  });
});

describe('web app', () => {
  it('serves web/dist with security headers and falls back to index.html for app routes', async () => {
    const probe = await start();
    const dist = path.join(probe.dir, 'dist');
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Skucast</title><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'app-abc.js'), 'console.log(1)');
    const { app } = await start({ webDistDir: dist });
    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>Skucast</title>');
    expect(root.headers['content-security-policy']).toContain("default-src 'self'");
    expect(root.headers['x-content-type-options']).toBe('nosniff');
    expect(root.headers['referrer-policy']).toBe('no-referrer');
    expect(root.headers['x-frame-options']).toBe('DENY');
    const asset = await app.inject({ method: 'GET', url: '/assets/app-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    const deep = await app.inject({ method: 'GET', url: '/datasets/42/skus' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>Skucast</title>');
    const api = await app.inject({ method: 'GET', url: '/api/missing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error).toContain('no route');
  });

  it('answers index.html, with its headers, for every link the web app writes, and JSON 404 under /api', async () => {
    const probe = await start();
    const dist = path.join(probe.dir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Skucast</title><div id="root"></div>');
    const { app } = await start({ webDistDir: dist });
    const links = ['/datasets/ds_1', '/datasets/ds_1/skus/SKU-7', '/datasets/ds_1/skus/SKU.v2.csv', '/datasets/ds_1/skus/A%2FB%20%23', '/datasets/ds_1/queue', '/datasets/ds_1/settings', '/upload', '/queue'];
    for (const url of links) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toContain('<div id="root">');
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    for (const url of ['/api/datasets/ds_1/nope', '/api/nope/skus/SKU-7', '/api']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
    }
    const post = await app.inject({ method: 'POST', url: '/datasets/ds_1/skus/SKU-7' });
    expect(post.statusCode).toBe(404);
    // A chunk of an older build is missing, not an HTML page: the browser reports a failed import.
    const chunk = await app.inject({ method: 'GET', url: '/assets/ForecastChart-old.js' });
    expect(chunk.statusCode).toBe(404);
    expect(chunk.headers['content-type']).toMatch(/^application\/json/);
  });

  it('a path segment longer than a file name can be: index.html outside /api, a JSON 404 naming url under it, never 403', async () => {
    const probe = await start();
    const dist = path.join(probe.dir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Skucast</title><div id="root"></div>');
    const { app } = await start({ webDistDir: dist });
    const long = 'x'.repeat(300);
    for (const url of [`/${long}`, `/datasets/ds_1/skus/${long}`, `/datasets/ds_1/skus/${encodeURIComponent('é'.repeat(150))}`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<div id="root">');
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
    }
    for (const url of [`/api/${long}`, `/api/nope/${long}`, `/api/datasets/ds_1/nope/${long}`, `/assets/${long}.js`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().details.map((d: { path: string }) => d.path), url).toEqual(['url']);
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
    }
  });

  it('a trailing slash is harmless: /api/datasets/ is the list, /api/jobs/status/ the status', async () => {
    const { app } = await start();
    const list = await app.inject({ method: 'GET', url: '/api/datasets/' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ datasets: [] });
    expect((await app.inject({ method: 'GET', url: '/api/jobs/status/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/datasets/nope/' })).json().details[0].path).toBe('id');
  });

  it('says how to build it when web/dist is missing', async () => {
    const { app, dir } = await start({ webDistDir: '/nonexistent/skucast-dist' });
    expect(dir).toBeTruthy();
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('npm run build');
  });
});
