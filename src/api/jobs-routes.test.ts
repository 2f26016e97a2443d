import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newJob, openApiTestApp, type ApiTestApp } from '../../tests/support/api-test-app.js';
import { createDailyDataset } from '../../tests/support/test-datasets.js';

let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

async function seed(count: number, overrides: Parameters<typeof newJob>[0] = {}, batchId = 'batch-1') {
  const jobs = Array.from({ length: count }, (_, i) => newJob({ sku: `${batchId}-SKU-${String(i).padStart(3, '0')}`, ...overrides }));
  return t.store.enqueue(jobs, { batchId });
}

async function snapshot() {
  const summary = await t.store.summary();
  return { total: summary.total, pending: summary.pending, cancelled: summary.cancelled, datasets: (await t.store.listDatasets()).length };
}

function months(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
}

describe('POST /api/jobs refuses bad input, names the field, writes nothing', () => {
  const rows = months(24).map((date, i) => ({ sku: 'A', date, sales: 10 + (i % 5) }));
  const cases: Array<[string, unknown, string]> = [
    ['an unknown model', { data: rows, models: ['seasonal_naive', 'not_a_model'] }, 'models[1]'],
    ['an empty model list', { data: rows, models: [] }, 'models'],
    ['models that are not a list', { data: rows, models: 'seasonal_naive' }, 'models'],
    ['an unknown reason', { data: rows, models: ['seasonal_naive'], reason: 'because' }, 'reason'],
    ['an unknown method', { data: rows, models: ['seasonal_naive'], method: 'magic' }, 'method'],
    ['non-numeric sales', { data: [rows[0], { sku: 'A', date: '2022-01-01', sales: 'lots' }], models: ['seasonal_naive'] }, 'data[1].sales'],
    ['negative sales', { data: [{ sku: 'A', date: '2022-01-01', sales: -3 }], models: ['seasonal_naive'] }, 'data[0].sales'],
    ['sales beyond the models\' 1e15', { data: [rows[0], { sku: 'A', date: '2022-02-01', sales: 1e308 }], models: ['seasonal_naive'] }, 'data[1].sales'],
    ['two rows of one date summing beyond 1e15', { data: [...rows, { sku: 'A', date: rows[0].date, sales: 9e14 }, { sku: 'A', date: rows[0].date, sales: 9e14 }], models: ['seasonal_naive'] }, 'data'],
    ['missing sales', { data: [rows[0], rows[1], { sku: 'A', date: '2022-01-01' }], models: ['seasonal_naive'] }, 'data[2].sales'],
    ['an unparsable date', { data: [rows[0], rows[1], { sku: 'A', date: '2023-02-30', sales: 1 }], models: ['seasonal_naive'] }, 'data[2].date'],
    ['an empty SKU', { data: [{ sku: ' ', date: '2022-01-01', sales: 1 }], models: ['seasonal_naive'] }, 'data[0].sku'],
    // Read as the CSV import reads a quantity: Number() would store "0x10" as 16, "0b11" as 3, "0o17" as 15.
    ['hex sales', { data: [rows[0], { sku: 'A', date: '2022-01-01', sales: '0x10' }], models: ['seasonal_naive'] }, 'data[1].sales'],
    ['binary sales', { data: [rows[0], { sku: 'A', date: '2022-01-01', sales: '0b11' }], models: ['seasonal_naive'] }, 'data[1].sales'],
    ['octal sales', { data: [rows[0], { sku: 'A', date: '2022-01-01', sales: '0o17' }], models: ['seasonal_naive'] }, 'data[1].sales'],
    ['Infinity as sales', { data: [rows[0], { sku: 'A', date: '2022-01-01', sales: 'Infinity' }], models: ['seasonal_naive'] }, 'data[1].sales'],
    ['a SKU over 1,000 characters', { data: [rows[0], { sku: 'L'.repeat(1001), date: '2022-01-01', sales: 1 }], models: ['seasonal_naive'] }, 'data[1].sku'],
    ['a SKU over 1,000 characters in skus', { skus: ['A', 'L'.repeat(1001)], models: ['seasonal_naive'] }, 'skus[1]'],
    ['empty data', { data: [], models: ['seasonal_naive'] }, 'data'],
    ['an empty SKU list', { skus: [], models: ['seasonal_naive'] }, 'skus'],
    ['neither data nor skus', { models: ['seasonal_naive'] }, 'data'],
    ['both data and skus', { data: rows, skus: ['A'], models: ['seasonal_naive'] }, 'skus'],
    ['an unknown setting', { data: rows, models: ['seasonal_naive'], settings: { horizn: 3 } }, 'settings.horizn'],
    ['an unknown top-level field', { data: rows, models: ['seasonal_naive'], foo: 1 }, 'foo'],
    ['an unknown top-level field beside skus', { skus: ['SKU-1'], models: ['seasonal_naive'], foo: 1 }, 'foo'],
    ['a holdout that leaves no SKU forecastable', { data: rows, models: ['seasonal_naive'], settings: { holdout: 500 } }, 'settings.holdout'],
    ['models none of the histories can fit', { data: rows.slice(0, 4), models: ['damped_trend'], settings: { holdout: 0 } }, 'models'],
    ['a bad horizon', { data: rows, models: ['seasonal_naive'], settings: { horizon: 0 } }, 'settings.horizon'],
    ['SKUs when there is no dataset', { skus: ['A'], models: ['seasonal_naive'] }, 'datasetId'],
    ['an unknown dataset', { skus: ['A'], models: ['seasonal_naive'], datasetId: 'nope' }, 'datasetId'],
    ['a body that is not an object', [1, 2], 'body'],
  ];
  it.each(cases)('%s', async (_name, payload, path) => {
    await seed(2);
    const before = await snapshot();
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: payload as object });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(typeof body.error).toBe('string');
    expect(body.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /api/jobs', () => {
  it('refuses a data row whose forecast would pass year 9999: 400 naming data[i].date, nothing stored', async () => {
    const data = [{ sku: 'Z', date: '9999-12-01', sales: 1 }, { sku: 'Z', date: '2024-03-01', sales: 1 }];
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['naive'] } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.json().details[0].path).toBe('data[0].date');
    expect(await t.store.listDatasets()).toEqual([]);
  });

  it('says in a planner\'s words which SKUs are too short, and what they need', async () => {
    const data = [
      ...months(36).map((date, i) => ({ sku: 'LONG', date, sales: 20 + (i % 12) })),
      // A new SKU: its 3 months are the file's last (one whose lines stopped early gets its tail as a
      // gap, so is not short), fewer than the 4 any model needs (longer short ones get a smaller holdout).
      ...months(36).slice(-3).map((date, i) => ({ sku: 'SHORT', date, sales: 3 + i })),
    ];
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['naive', 'mean'], reason: 'dataset_upload' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ jobsCreated: 2, jobsSkipped: 2 });
    const dataset = (await t.app.inject({ method: 'GET', url: `/api/datasets/${body.datasetId}` })).json();
    const warnings: string[] = dataset.report?.warnings ?? dataset.dataset?.report?.warnings;
    expect(warnings).toContainEqual('1 SKU has too little history to forecast (each needs at least 4 periods); append more actuals for it');
  });

  it('refuses an unknown top-level field by its name, and takes every field of the seed\'s contract (data or skus, models, reason)', async () => {
    const data = ['A', 'B'].flatMap((sku, k) => months(24).map((date, i) => ({ sku, date, sales: 10 * (k + 1) + (i % 5) })));
    const seedForm = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['ets'], reason: 'dataset_upload' } });
    expect(seedForm.statusCode).toBe(201);
    const bySkus = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { skus: ['A'], models: ['ets'], reason: 'manual_trigger' } });
    expect(bySkus.statusCode).toBe(201);
    const before = await snapshot();
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { skus: ['A'], models: ['ets'], foo: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'foo', message: "unknown field 'foo'" }]);
    expect(await snapshot()).toEqual(before);
  });

  it('reads a sales string as the CSV import does (a decimal, grouped thousands), and a number as a SKU as its text', async () => {
    const data = months(24).map((date, i) => ({ sku: i % 2 === 0 ? 123 : '123', date, sales: i === 0 ? '1,234.5' : i === 1 ? ' 7 ' : String(10 + (i % 5)) }));
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['ets'] } });
    expect(res.statusCode).toBe(201);
    const series = await t.store.getSeries(res.json().datasetId, '123');
    expect(series?.original.slice(0, 3)).toEqual([1234.5, 7, 12]);
    const bySkus = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { skus: [123], models: ['ets'], datasetId: res.json().datasetId } });
    expect(bySkus.statusCode).toBe(201);
    expect(bySkus.json().skusProcessed).toBe(1);
  });

  it('takes a SKU of exactly 1,000 characters', async () => {
    const sku = 'S'.repeat(1000);
    const data = months(24).map((date, i) => ({ sku, date, sales: 10 + (i % 5) }));
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['ets'] } });
    expect(res.statusCode).toBe(201);
    expect((await t.store.getSeries(res.json().datasetId, sku))?.length).toBe(24);
  });

  it('still takes rows whose every history is too short whatever the settings: 201, no job, batchId null', async () => {
    const data = months(3).map((date, i) => ({ sku: 'SHORT', date, sales: 3 + i }));
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['naive'] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ batchId: null, jobsCreated: 0, jobsSkipped: 1 });
    // The answer says why nothing was queued (was: only GET /api/datasets/:id's report did).
    expect(res.json().warnings).toContainEqual(expect.stringMatching(/^1 SKU has too little history to forecast/));
  });

  it('names the longest holdout the rows allow when the given one leaves no SKU forecastable', async () => {
    const data = months(24).map((date, i) => ({ sku: 'A', date, sales: 10 + (i % 5) }));
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['naive'], settings: { holdout: 30 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^invalid settings\.holdout: must be at most 20 for these rows: /);
    expect(res.json().details).toEqual([{ path: 'settings.holdout', message: expect.stringContaining('nothing was imported') }]);
    expect(await t.store.listDatasets()).toEqual([]);
  });

  it('turns rows of sales into a dataset and one job per (SKU, model)', async () => {
    const data = ['A', 'B'].flatMap((sku, s) => months(36).map((date, i) => ({ sku, date, sales: 20 + s * 5 + (i % 12) })));
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive', 'simple_exponential_smoothing'], reason: 'dataset_upload' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ jobsCreated: 4, skusProcessed: 2, modelsPerSku: 2, priority: 3, jobsSkipped: 0 });
    expect(body.datasetId).toEqual(expect.any(String));
    expect((await t.store.summary()).pending).toBe(4);
    const list = await t.app.inject({ method: 'GET', url: `/api/jobs/status?batchId=${body.batchId}` });
    expect(list.json().jobs.map((j: { sku: string; modelId: string }) => `${j.sku}/${j.modelId}`).sort())
      .toEqual(['A/seasonal_naive', 'A/simple_exponential_smoothing', 'B/seasonal_naive', 'B/simple_exponential_smoothing']);

    // Form (b): SKUs of the newest dataset; an unknown SKU is refused by name and nothing is written.
    const missing = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { skus: ['A', 'ZZZ'], models: ['seasonal_naive'] } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details).toEqual([{ path: 'skus[1]', message: expect.stringContaining("'ZZZ'") }]);
    expect((await t.store.summary()).total).toBe(4);

    const again = await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { skus: ['A'], models: ['seasonal_naive'], reason: 'manual_edit_data_cleaning' } });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ datasetId: body.datasetId, skusProcessed: 1, modelsPerSku: 1, priority: 1 });
    expect(again.json().jobsCreated).toBe(1);
  });

  it('form (b) refuses a model or method the dataset does not forecast with, naming the field: its result would never show', async () => {
    const data = ['A', 'B'].flatMap((sku, k) => months(24).map((date, i) => ({ sku, date, sales: 10 * (k + 1) + (i % 5) })));
    const created = (await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive', 'naive'] } })).json();
    const before = (await t.store.summary()).total;
    const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/jobs', payload: { datasetId: created.datasetId, skus: ['A'], ...payload } });

    const model = await post({ models: ['naive', 'holt_winters'] });
    expect(model.statusCode).toBe(400);
    expect(model.json().details).toEqual([{ path: 'models[1]', message: expect.stringContaining(
      `'holt_winters' is not one of this dataset's models (seasonal_naive, naive): its result would never show; add it to the dataset's models with PATCH /api/datasets/${created.datasetId}/settings`,
    ) }]);
    const method = await post({ models: ['naive'], method: 'mle' });
    expect(method.statusCode).toBe(400);
    expect(method.json().details).toEqual([{ path: 'method', message: expect.stringContaining("this dataset forecasts with 'grid'") }]);
    expect((await t.store.summary()).total).toBe(before);

    // Its own models and method: queued as before.
    const ok = await post({ models: ['naive'], method: 'grid' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ jobsCreated: 1 });
  });
});

describe('GET /api/jobs/status', () => {
  it('pages through every job with a keyset cursor, in queue order', async () => {
    await seed(5);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/jobs/status?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total).toBe(5);
      expect(body.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...body.jobs.map((j: { id: number }) => j.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // pending: same priority, FIFO
  });

  it('?limit=0 answers the summary alone, no job, for the whole queue and for a scope (a monitor polls no job it does not need)', async () => {
    await seed(3);
    await seed(2, {}, 'batch-2');
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.progress(claimed, 40);
    const res = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=0' });
    expect(res.statusCode).toBe(200);
    const full = (await t.app.inject({ method: 'GET', url: '/api/jobs/status' })).json();
    expect(res.json()).toEqual({ ...full, jobs: [], nextCursor: null });
    expect(res.json().summary).toMatchObject({ pending: 4, running: 1, isOptimizing: true, progress: 8 });
    const scoped = (await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=0&batchId=batch-2&status=pending' })).json();
    expect(scoped).toMatchObject({ total: 2, jobs: [], nextCursor: null, summary: { pending: 2, running: 0, completed: 0 } });
    // And its ETag, as any page's.
    const etag = res.headers.etag as string;
    const same = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=0', headers: { 'if-none-match': etag } });
    expect(same.statusCode).toBe(304);
  });

  it('summarises progress over jobs that are not cancelled', async () => {
    await seed(4);
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.complete(claimed, { ok: true });
    const [second] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.progress(second, 50);
    const last = (await t.store.listJobs({ limit: 10, status: ['pending'] })).jobs.at(-1)!;
    await t.store.cancel({ ids: [last.id] });
    const res = await t.app.inject({ method: 'GET', url: '/api/jobs/status' });
    const { summary, total } = res.json();
    expect(total).toBe(4);
    expect(summary).toMatchObject({ pending: 1, running: 1, completed: 1, failed: 0, cancelled: 1, isOptimizing: true });
    expect(summary.progress).toBe(50); // (100 + 50) / 3 jobs
    expect(summary.etaSeconds === null || summary.etaSeconds > 0).toBe(true);
  });

  it('tells the running jobs claimed but not fitting yet (reading input or waiting for a thread) from the ones fitting, by the live workers\' heartbeats', async () => {
    await seed(6);
    // A forecast worker with 2 threads and prefetch 2 holds 4 jobs: all running in the store.
    await t.store.claim({ workerId: 'w-forecast', limit: 4, leaseMs: 60_000 });
    const now = Date.now();
    // Its runner counted 3 of them not started on a thread (one thread still reading its input).
    await t.store.heartbeatWorker({ workerId: 'w-forecast', host: 'h', pid: 1, concurrency: 2, startedAt: now, lastHeartbeatAt: now, running: 4, waitingForThread: 3, status: 'running' });
    // A worker older than the count: estimated from running - concurrency (here 1, not 0).
    await t.store.heartbeatWorker({ workerId: 'w-older', host: 'h', pid: 4, concurrency: 2, startedAt: now, lastHeartbeatAt: now, running: 3, status: 'running' });
    // Silent for two minutes (likely killed) and stopped: they count for nothing.
    await t.store.heartbeatWorker({ workerId: 'w-lost', host: 'h', pid: 2, concurrency: 1, startedAt: now - 300_000, lastHeartbeatAt: now - 120_000, running: 3, status: 'running' });
    await t.store.heartbeatWorker({ workerId: 'w-gone', host: 'h', pid: 3, concurrency: 1, startedAt: now - 300_000, lastHeartbeatAt: now, running: 3, status: 'stopped' });
    const res = await t.app.inject({ method: 'GET', url: '/api/jobs/status' });
    // Was { running: 4 } alone: the popup said "4 running" with 2 threads; then the estimate, 2.
    // 3 counted + 1 estimated (never above the store's running).
    expect(res.json().summary).toMatchObject({ pending: 2, running: 4, waitingForThread: 4 });
    // A filtered view cannot tell its share of them.
    const filtered = await t.app.inject({ method: 'GET', url: '/api/jobs/status?batchId=batch-1' });
    expect(filtered.json().summary).toMatchObject({ running: 4, waitingForThread: null });
  });

  it('says when no live worker exists while jobs wait (liveWorkers 0), with no ETA then; null when the registry cannot be read', async () => {
    await seed(6);
    // Two finished recently: a pace to give an ETA by.
    for (const job of await t.store.claim({ workerId: 'w-dead', limit: 2, leaseMs: 60_000 })) await t.store.complete(job, { ok: true });
    // Then its worker claimed two more and was SIGKILLed: its row says running, silent for 90 s.
    await t.store.claim({ workerId: 'w-dead', limit: 2, leaseMs: 30_000 });
    const now = Date.now();
    await t.store.heartbeatWorker({ workerId: 'w-dead', host: 'h', pid: 1, concurrency: 2, startedAt: now - 300_000, lastHeartbeatAt: now - 90_000, running: 2, status: 'running' });
    // A worker that stopped (graceful, or marked by `skucast start`'s supervisor) and one draining before it exits.
    await t.store.heartbeatWorker({ workerId: 'w-stopped', host: 'h', pid: 2, concurrency: 2, startedAt: now - 300_000, lastHeartbeatAt: now, running: 0, status: 'stopped' });
    await t.store.heartbeatWorker({ workerId: 'w-draining', host: 'h', pid: 3, concurrency: 2, startedAt: now - 300_000, lastHeartbeatAt: now, running: 0, status: 'stopping' });
    const dead = (await t.app.inject({ method: 'GET', url: '/api/jobs/status' })).json().summary;
    expect(dead).toMatchObject({ pending: 2, running: 2, isOptimizing: true, liveWorkers: 0, drainingWorkers: 1, etaSeconds: null });
    // A filtered view (the dataset page's) is told too: it is the whole queue's answer.
    expect((await t.app.inject({ method: 'GET', url: '/api/jobs/status?batchId=batch-1' })).json().summary).toMatchObject({ liveWorkers: 0, etaSeconds: null });

    // The draining one stopped; one silent for over a minute in `stopping` is not counted either.
    await t.store.heartbeatWorker({ workerId: 'w-draining', host: 'h', pid: 3, concurrency: 2, startedAt: now - 300_000, lastHeartbeatAt: now, running: 0, status: 'stopped' });
    await t.store.heartbeatWorker({ workerId: 'w-hung', host: 'h', pid: 5, concurrency: 2, startedAt: now - 300_000, lastHeartbeatAt: now - 90_000, running: 1, status: 'stopping' });
    expect((await t.app.inject({ method: 'GET', url: '/api/jobs/status' })).json().summary).toMatchObject({ liveWorkers: 0, drainingWorkers: 0 });
    await t.store.heartbeatWorker({ workerId: 'w-new', host: 'h', pid: 4, concurrency: 2, startedAt: now, lastHeartbeatAt: now, running: 0, status: 'running' });
    const live = (await t.app.inject({ method: 'GET', url: '/api/jobs/status' })).json().summary;
    expect(live.liveWorkers).toBe(1);
    expect(live.etaSeconds).toBeGreaterThan(0);

    t.store.listWorkers = async () => { throw new Error('registry unreadable'); };
    expect((await t.app.inject({ method: 'GET', url: '/api/jobs/status' })).json().summary).toMatchObject({ liveWorkers: null, drainingWorkers: null, waitingForThread: null, pending: 2 });
  });

  it('filters by status, and counts total for the filter', async () => {
    await seed(3);
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    const res = await t.app.inject({ method: 'GET', url: '/api/jobs/status?status=running' });
    expect(res.json().total).toBe(1);
    expect(res.json().jobs.map((j: { id: number }) => j.id)).toEqual([claimed.jobId]);
    const both = await t.app.inject({ method: 'GET', url: '/api/jobs/status?status=running,pending&batchId=batch-1' });
    expect(both.json().total).toBe(3);
    const other = await t.app.inject({ method: 'GET', url: '/api/jobs/status?batchId=other' });
    expect(other.json()).toMatchObject({ total: 0, jobs: [] });
  });

  it('an empty status= (or status=,) is a 400 naming status, as every empty parameter is (it read as no filter)', async () => {
    await seed(3);
    for (const url of ['/api/jobs/status?batchId=batch-1&status=', '/api/jobs/status?status=,']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().details, url).toEqual([{ path: 'status', message: expect.stringContaining('an empty status list names no filter') }]);
    }
  });

  it('reads the page and its counts in one store call (one snapshot)', async () => {
    await seed(3);
    const calls: string[] = [];
    const listJobs = t.store.listJobs.bind(t.store);
    const summary = t.store.summary.bind(t.store);
    t.store.listJobs = async (query) => {
      calls.push(`listJobs withSummary=${query.withSummary}`);
      return listJobs(query);
    };
    t.store.summary = async (filter) => {
      calls.push('summary');
      return summary(filter);
    };
    const res = await t.app.inject({ method: 'GET', url: '/api/jobs/status?batchId=batch-1' });
    expect(calls).toEqual(['listJobs withSummary=true']);
    expect(res.json().total).toBe(3);
    expect(res.json().jobs).toHaveLength(3);
  });

  it('answers 400 naming the cursor for one whose keys are past the safe integers', async () => {
    await seed(2);
    const cursor = Buffer.from(JSON.stringify(['finished', 0, 1e20, 0])).toString('base64url');
    const res = await t.app.inject({ method: 'GET', url: `/api/jobs/status?cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('cursor');
  });

  it('answers 304 while nothing changed, and 200 once a job moves', async () => {
    await seed(2);
    const first = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=10' });
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const same = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=10', headers: { 'if-none-match': etag } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    const otherQuery = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=5', headers: { 'if-none-match': etag } });
    expect(otherQuery.statusCode).toBe(200);
    await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    const moved = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=10', headers: { 'if-none-match': etag } });
    expect(moved.statusCode).toBe(200);
    expect(moved.headers.etag).not.toBe(etag);
    expect(moved.json().summary.running).toBe(1);
  });

  it('the ETag follows the body, not the queue version: a version that went back (a restore) still gets 200', async () => {
    await seed(2);
    const { version } = await t.store.summary();
    const first = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=10' });
    const etag = first.headers.etag as string;
    await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    const db = new Database(`${t.dir}/jobs.db`);
    db.prepare('UPDATE queue_meta SET version = ? WHERE id = 1').run(version); // as a restore or a lost commit leaves it
    db.close();
    expect((await t.store.summary()).version).toBe(version);
    const after = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=10', headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.json().summary.running).toBe(1);
  });

  it('answers 404 naming datasetId for a dataset that does not exist, as the dataset routes do; lists a real one\'s jobs', async () => {
    const dataset = 'ds-real';
    await createDailyDataset(t.store, dataset, ['A'], 30);
    await seed(2, { datasetId: dataset });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/jobs/status?datasetId=nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: "no dataset 'nope'", code: 'not_found', details: [{ path: 'datasetId', message: "no dataset 'nope'" }] });
    const known = await t.app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${dataset}` });
    expect(known.statusCode).toBe(200);
    expect(known.json().total).toBe(2);
    // Without datasetId, unchanged: the whole queue.
    expect((await t.app.inject({ method: 'GET', url: '/api/jobs/status' })).json().total).toBe(2);
  });

  it("keeps a deleted dataset's jobs listable by datasetId, and reads no dataset on a poll of a scope that has jobs", async () => {
    const data = months(24).map((date, i) => ({ sku: 'A', date, sales: 10 + (i % 5) }));
    const created = (await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive', 'naive'] } })).json();
    const getDataset = vi.spyOn(t.store, 'getDataset');
    const live = await t.app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${created.datasetId}` });
    expect(live.statusCode).toBe(200);
    expect(getDataset).not.toHaveBeenCalled();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/datasets/${created.datasetId}` })).statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${created.datasetId}` });
    expect(after.statusCode).toBe(200);
    expect(after.json().jobs.map((j: { status: string }) => j.status)).toEqual(['cancelled', 'cancelled']);
    // A status filter that matches none of them is still a listing of a scope that has jobs: 200, empty.
    const none = await t.app.inject({ method: 'GET', url: `/api/jobs/status?datasetId=${created.datasetId}&status=failed` });
    expect(none.statusCode).toBe(200);
    expect(none.json().total).toBe(0);
  });

  it.each([
    ['limit=-1', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['status=pending,sleeping', 'status[1]'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('refuses %s naming %s', async (query, path) => {
    await seed(1);
    const res = await t.app.inject({ method: 'GET', url: `/api/jobs/status?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toContain(path);
  });
});

describe('one job', () => {
  it('shows a job with its result; 404 for an unknown id; 400 for a bad id', async () => {
    await seed(1);
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.complete(claimed, { forecast: [1, 2, 3] });
    const res = await t.app.inject({ method: 'GET', url: `/api/jobs/${claimed.jobId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: claimed.jobId, status: 'completed', progress: 100, result: { forecast: [1, 2, 3] } });
    expect((await t.app.inject({ method: 'GET', url: '/api/jobs/999999' })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/api/jobs/abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('id');
  });

  it('cancels a pending job once, then answers 409', async () => {
    const { firstId } = await seed(1);
    const res = await t.app.inject({ method: 'POST', url: `/api/jobs/${firstId}/cancel` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ cancelled: 1 });
    const again = await t.app.inject({ method: 'POST', url: `/api/jobs/${firstId}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toContain('cancelled');
    expect(again.json().code).toBe('conflict_state'); // sending it again cannot succeed
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/424242/cancel' })).statusCode).toBe(404);
  });

  it('retries only failed or cancelled jobs', async () => {
    const { firstId } = await seed(1);
    const pending = await t.app.inject({ method: 'POST', url: `/api/jobs/${firstId}/retry` });
    expect(pending.statusCode).toBe(409);
    expect((await t.store.getJob(firstId!))!.status).toBe('pending');
    await t.store.cancel({ ids: [firstId!] });
    const res = await t.app.inject({ method: 'POST', url: `/api/jobs/${firstId}/retry` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ requeued: 1 });
    expect((await t.store.getJob(firstId!))!.status).toBe('pending');
  });

  it("will not retry a job of a deleted dataset: 409 naming id and why; the bulk retry skips it", async () => {
    const data = months(24).map((date, i) => ({ sku: 'A', date, sales: 10 + (i % 5) }));
    const created = (await t.app.inject({ method: 'POST', url: '/api/jobs', payload: { data, models: ['seasonal_naive', 'naive'] } })).json();
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.fail(claimed, 'boom');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/datasets/${created.datasetId}` })).statusCode).toBe(200);
    const all = (await t.store.listJobs({ limit: 10, datasetId: created.datasetId })).jobs;
    expect(all.map((j) => j.status).sort()).toEqual(['cancelled', 'failed']);
    for (const job of all) {
      const res = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry` });
      expect(res.statusCode, job.status).toBe(409);
      expect(res.json().error).toContain('which was deleted');
      expect(res.json().details).toEqual([{ path: 'id', message: expect.stringContaining('which was deleted') }]);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/retry', payload: {} })).json()).toEqual({ requeued: 0 });
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/retry', payload: { status: ['failed', 'cancelled'] } })).json()).toEqual({ requeued: 0 });
    expect((await t.store.summary()).pending).toBe(0);
  });

  it('a retry of a job that newer work replaced is a 409 saying so', async () => {
    const { firstId } = await seed(1);
    await seed(1, {}, 'batch-1'); // the same SKU and model again: supersedes the first
    expect((await t.store.getJob(firstId!))!.status).toBe('cancelled');
    const res = await t.app.inject({ method: 'POST', url: `/api/jobs/${firstId}/retry` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: expect.stringContaining('replaced by a newer job'), details: [{ path: 'id' }] });
  });

  it('will not retry a completed job', async () => {
    await seed(1);
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.complete(claimed, {});
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${claimed.jobId}/retry` })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${claimed.jobId}/cancel` })).statusCode).toBe(409);
    expect((await t.store.getJob(claimed.jobId))!.status).toBe('completed');
  });
});

describe('bulk actions', () => {
  it('cancels by filter and needs at least one field', async () => {
    await seed(3, {}, 'b1');
    await seed(2, {}, 'b2');
    const empty = await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details.length).toBeGreaterThan(0);
    const noBody = await t.app.inject({ method: 'POST', url: '/api/jobs/cancel' });
    expect(noBody.statusCode).toBe(400);
    expect((await t.store.summary()).cancelled).toBe(0);
    const res = await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { batchId: 'b1' } });
    expect(res.json()).toEqual({ cancelled: 3 });
    expect(await t.store.summary()).toMatchObject({ pending: 2, cancelled: 3 });
  });

  it('a bare cancel (no body, a null or an empty object) names the filter fields and what to send, not "expected object, received null"', async () => {
    await seed(2);
    const json = { 'content-type': 'application/json' };
    for (const sent of [{}, { headers: json, payload: 'null' }, { headers: json, payload: '' }, { headers: json, payload: '{}' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', ...sent });
      expect(res.statusCode, JSON.stringify(sent)).toBe(400);
      const body = res.json();
      expect(body.code).toBe('invalid_request');
      expect(body.details, JSON.stringify(sent)).toHaveLength(1);
      expect(body.details[0].path).toBe('body');
      expect(body.details[0].message).not.toMatch(/expected object|received null/);
      expect(body.details[0].message).toContain('batchId, datasetId, sku or status');
      expect(body.details[0].message).toContain('{"status": ["pending", "running"]}');
      expect(body.error).toBe(`invalid body: body: ${body.details[0].message}`);
    }
    expect((await t.store.summary()).cancelled).toBe(0);
  });

  it('an empty status list names no filter: 400 naming status, nothing cancelled', async () => {
    await seed(3);
    for (const status of [[], '', ',']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/jobs/cancel', payload: { status } });
      expect(res.statusCode, JSON.stringify(status)).toBe(400);
      expect(res.json().details.map((d: { path: string }) => d.path)).toEqual(['status']);
    }
    expect((await t.store.summary()).cancelled).toBe(0);
  });

  it('refuses an unknown field in a bulk verb\'s body, naming each by its path, and acts on nothing', async () => {
    await seed(3);
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.complete(claimed, {});
    const { firstId } = await seed(1, {}, 'b2');
    const refusals: Array<[string, object, string[]]> = [
      ['/api/jobs/cancel', { batchId: 'batch-1', bogus: 1 }, ['bogus']],
      ['/api/jobs/retry', { batchId: 'batch-1', bogus: 1, batchID: 'x' }, ['bogus', 'batchID']],
      // clear-completed and reset take no filter: one sent was meant to narrow them.
      ['/api/jobs/clear-completed', { batchId: 'x', bogus: 1 }, ['batchId', 'bogus']],
      ['/api/jobs/reset', { batchId: 'x' }, ['batchId']],
      [`/api/jobs/${firstId}/cancel`, { reason: 'x' }, ['reason']],
      [`/api/jobs/${firstId}/retry`, { force: true }, ['force']],
    ];
    const before = await t.store.summary();
    for (const [url, payload, paths] of refusals) {
      const res = await t.app.inject({ method: 'POST', url, payload });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().details.map((d: { path: string }) => d.path), url).toEqual(paths);
    }
    expect(await t.store.summary()).toEqual(before);
    // Still a bare POST, or {}.
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/clear-completed', payload: {} })).json()).toEqual({ deleted: 1 });
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${firstId}/cancel` })).json()).toEqual({ cancelled: 1 });
    expect((await t.app.inject({ method: 'POST', url: '/api/jobs/retry' })).json()).toEqual({ requeued: 0 });
  });

  it('retries failed jobs by default, and cancelled ones when status says', async () => {
    await seed(2);
    await t.store.cancel({ batchId: 'batch-1' });
    const failedOnly = await t.app.inject({ method: 'POST', url: '/api/jobs/retry', payload: {} });
    expect(failedOnly.json()).toEqual({ requeued: 0 });
    const cancelled = await t.app.inject({ method: 'POST', url: '/api/jobs/retry', payload: { status: ['cancelled'] } });
    expect(cancelled.json()).toEqual({ requeued: 2 });
    expect((await t.store.summary()).pending).toBe(2);
    const bad = await t.app.inject({ method: 'POST', url: '/api/jobs/retry', payload: { status: ['running'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('status[0]');
  });

  it.each([
    ['/api/jobs/cancel', {}],
    ['/api/jobs/retry', { status: ['failed', 'cancelled'] }],
  ])('%s scoped by an unknown datasetId answers 404 naming datasetId, as GET /api/jobs/status does; a real dataset with nothing to change answers 200 with 0', async (url, extra) => {
    const dataset = 'ds-real';
    await createDailyDataset(t.store, dataset, ['A'], 30);
    await seed(2); // jobs of no dataset: a scope that leaked them would change something
    const before = await t.store.summary();
    const unknown = await t.app.inject({ method: 'POST', url, payload: { datasetId: 'nope', ...extra } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: "no dataset 'nope'", code: 'not_found', details: [{ path: 'datasetId', message: "no dataset 'nope'" }] });
    const known = await t.app.inject({ method: 'POST', url, payload: { datasetId: dataset, ...extra } });
    expect(known.statusCode).toBe(200);
    expect(Object.values(known.json())).toEqual([0]);
    expect(await t.store.summary()).toEqual(before);
  });

  it('clears completed jobs and resets the queue', async () => {
    await seed(3);
    const [claimed] = await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await t.store.complete(claimed, {});
    const cleared = await t.app.inject({ method: 'POST', url: '/api/jobs/clear-completed', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toEqual({ deleted: 1 });
    expect(await t.store.summary()).toMatchObject({ total: 2, completed: 0 });
    await t.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    const reset = await t.app.inject({ method: 'POST', url: '/api/jobs/reset' });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().deleted).toBe(2);
    expect(reset.json().cancelled).toBeGreaterThanOrEqual(1); // at least the running one
    expect((await t.store.summary()).total).toBe(0);
  });
});

describe('a job row written by hand (as the doctor tests write them since SQLite migration 030)', () => {
  // Since 030 a job holds its batch as batch_ref (DEFAULT 0); a row by hand without it read
  // batchId null, which jobSchema (batchId: string) refused: the listing and the job answered 500.
  it('GET /api/jobs/status and /api/jobs/:id still answer 200, its batchId empty', async () => {
    await seed(1);
    const db = new Database(`${t.dir}/jobs.db`);
    const id = Number(db.prepare(`INSERT INTO jobs (sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
      VALUES ('X', 'naive', 'grid', 'manual_trigger', 3, 'pending', 1, 1, 1)`).run().lastInsertRowid);
    db.close();
    const listing = await t.app.inject({ method: 'GET', url: '/api/jobs/status?limit=10' });
    expect(listing.statusCode).toBe(200);
    const job = await t.app.inject({ method: 'GET', url: `/api/jobs/${id}` });
    expect(job.statusCode).toBe(200);
    expect(job.json().batchId).toBe('');
  });
});
