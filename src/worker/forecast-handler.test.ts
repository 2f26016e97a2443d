import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSeries, SeriesRecord } from '../datasets/dataset.js';
import { defaultDatasetSettings } from '../datasets/dataset-settings.js';
import { systemClock } from '../queue/clock.js';
import type { ForecastResult } from '../forecasting/index.js';
import { openHarness, RecordingLogger, type Harness } from '../queue/testing/runner-harness.js';
import { startWorker, type WorkerHandle } from './run-worker.js';
import { ForecastHandler } from './forecast-handler.js';
import { inputHash, planJobs } from '../datasets/job-planner.js';
import { RETAIL_SEASON, retailSku } from '../forecasting/seasonal-profile/seasonal-profile-fixtures.js';

// Under vitest optimization-thread.js does not exist as a file, so the handler fits inline:
// the job still goes store -> runner -> handler -> engine -> store for real.
let h: Harness;
let worker: WorkerHandle | null = null;

beforeEach(async () => {
  h = await openHarness();
});

afterEach(async () => {
  await worker?.stop({ graceful: false });
  worker = null;
  await h.close();
});

function monthly(n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(2021, i, 1)).toISOString().slice(0, 10));
}

async function createDataset(): Promise<void> {
  const dates = monthly(36);
  const original = dates.map((_, i) => 100 + 20 * Math.sin((2 * Math.PI * i) / 12) + i);
  original[10] = 5_000; // an outlier the planner cleaned
  const series: NewSeries[] = [{ sku: 'A', dates, original, edits: { 10: 110 }, length: 36, volume: 0, demandClass: 'smooth' }];
  await h.store.createDataset(
    { id: 'ds1', name: 'test', frequency: 'monthly', settings: defaultDatasetSettings('monthly'), report: {
      rows: 36, skus: 1, dateRange: { start: dates[0], end: dates[35] }, frequency: 'monthly', format: 'long', rejected: [],
      rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
    } },
    series, null, null,
  );
}

async function runOne(job: { datasetId: string | null; sku: string; modelId: string; settings?: Record<string, unknown> }) {
  const [id] = await h.enqueue([{ method: 'grid', maxAttempts: 3, ...job }]);
  const logger = new RecordingLogger();
  worker = await startWorker({ store: h.store, logger, handler: 'forecast', concurrency: 1, clock: systemClock });
  await Promise.race([logger.waitFor('complete', { jobId: id }), logger.waitFor('fail', { jobId: id })]);
  return (await h.store.getJob(id))!;
}

describe('ForecastHandler', () => {
  it('forecasts the cleaned series with the job\'s settings and stores the result', async () => {
    await createDataset();
    const job = await runOne({ datasetId: 'ds1', sku: 'A', modelId: 'simple_exponential_smoothing', settings: { horizon: 4, holdout: 6, metric: 'mae' } });
    expect(job.status).toBe('completed');
    const result = job.result as ForecastResult;
    expect(result.sku).toBe('A');
    expect(result.model).toBe('simple_exponential_smoothing');
    expect(result.forecast.mean).toHaveLength(4);
    // The 5,000 outlier was edited to 110: a forecast near the series level, not pulled up by it.
    for (const value of result.forecast.mean) expect(value).toBeLessThan(500);
    expect(result.forecast.dates[0]).toBe('2024-01-01');
  });

  it('fails at once, on the first attempt, when the SKU is not in the dataset', async () => {
    await createDataset();
    const job = await runOne({ datasetId: 'ds1', sku: 'GONE', modelId: 'naive' });
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.error).toMatch(/SKU 'GONE' is no longer in dataset ds1/);
  });

  it('fails at once with the engine\'s own words when the engine refuses the input', async () => {
    await createDataset();
    const job = await runOne({ datasetId: 'ds1', sku: 'A', modelId: 'no_such_model' });
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.error).toMatch(/unknown model 'no_such_model'/);
  });

  it('an edit between plan and run: the job is superseded by one for the current history, nothing is filed under the old hash', async () => {
    await createDataset();
    const dataset = (await h.store.getDataset('ds1'))!;
    const plan = (series: SeriesRecord) =>
      planJobs({ dataset, series: [series], models: ['simple_exponential_smoothing'], method: 'grid', reason: 'manual_trigger' }).jobs;
    // POST /api/jobs reads the series, then enqueues: an edit can commit in between
    const before = plan((await h.store.getSeries('ds1', 'A'))!);
    await h.store.updateSeries('ds1', [{ sku: 'A', edits: { 10: 110, 35: 900 }, volume: 0, demandClass: 'smooth' }], null, null);
    const current = plan((await h.store.getSeries('ds1', 'A'))!);
    expect(current[0].inputHash).not.toBe(before[0].inputHash);
    const stale = await h.store.enqueue(before, { batchId: 'stale' });
    expect(stale).toMatchObject({ jobsCreated: 1, jobsReused: 0 });
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'forecast', concurrency: 1, clock: systemClock });
    const replacement = stale.firstId! + 1;
    await Promise.race([logger.waitFor('complete', { jobId: replacement }), logger.waitFor('fail', { jobId: replacement })]);
    const job = (await h.store.getJob(stale.firstId!))!;
    expect([job.status, job.error, job.result]).toEqual(['cancelled', `superseded by job ${replacement}`, null]);
    const next = (await h.store.getJob(replacement))!;
    expect(next).toMatchObject({ status: 'completed', sku: 'A', modelId: 'simple_exponential_smoothing', inputHash: current[0].inputHash });
    expect((next.result as ForecastResult).forecast.mean.length).toBe(12);
    await worker.stop({ graceful: true });
    worker = null;
    // the old history's hash has no result to reuse; the current one reuses the replacement's
    expect(await h.store.enqueue(before, { batchId: 'old-again' })).toMatchObject({ jobsCreated: 1, jobsReused: 0 });
    expect(await h.store.enqueue(current, { batchId: 'current-again' })).toMatchObject({ jobsCreated: 1, jobsReused: 1 });
  });

  it('an edit between plan and run of a job already cancelled or lost: nothing is queued again', async () => {
    await createDataset();
    const dataset = (await h.store.getDataset('ds1'))!;
    const before = planJobs({ dataset, series: [(await h.store.getSeries('ds1', 'A'))!], models: ['simple_exponential_smoothing'], method: 'grid', reason: 'manual_trigger' }).jobs;
    await h.store.updateSeries('ds1', [{ sku: 'A', edits: { 10: 110, 35: 900 }, volume: 0, demandClass: 'smooth' }], null, null);
    const stale = await h.store.enqueue(before, { batchId: 'stale' });
    const job = (await h.store.getJob(stale.firstId!))!;
    const handler = new ForecastHandler(h.store, { threads: 1, inline: true });
    const controller = new AbortController();
    controller.abort(new Error('job lost its lease'));
    await expect(handler.run(job, { signal: controller.signal, reportProgress: () => {} })).rejects.toThrow('job lost its lease');
    expect((await h.store.listJobs({ limit: 10 })).jobs.map((j) => j.id)).toEqual([stale.firstId]);
  });

  it('a short SKU that borrows its dataset\'s season is never reused: the same history in another dataset gets that dataset\'s profile', async () => {
    // Two shops import the same 10-month SKU beside different long SKUs: a December peak, a summer one.
    const SUMMER = [0.5, 0.6, 0.9, 1.3, 1.6, 1.7, 1.5, 1.2, 0.9, 0.7, 0.5, 0.5];
    const shop = async (id: string, season: number[]) => {
      const series: NewSeries[] = [];
      const add = (sku: string, s: { dates: string[]; values: number[] }) =>
        series.push({ sku, dates: s.dates, original: s.values, edits: {}, length: s.values.length, volume: 0, demandClass: 'smooth' });
      for (let k = 0; k < 3; k++) add(`L${k}`, retailSku(36, 50 + 10 * k, k + 1, season));
      add('NEW', retailSku(10, 60, 40));
      await h.store.createDataset({ id, name: id, frequency: 'monthly', settings: defaultDatasetSettings('monthly'), report: {
        rows: 0, skus: 4, dateRange: null, frequency: 'monthly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0,
        gaps: [], tooShort: [], warnings: [],
      } }, series, null, null);
      const dataset = (await h.store.getDataset(id))!;
      return planJobs({ dataset, series: [(await h.store.getSeries(id, 'NEW'))!], models: ['ets'], method: 'grid', reason: 'dataset_upload' }).jobs;
    };
    const december = await shop('dec', RETAIL_SEASON);
    const summer = await shop('sum', SUMMER);
    expect([december[0].inputHash, summer[0].inputHash]).toEqual([null, null]);
    const first = await h.store.enqueue(december, { batchId: 'dec' });
    const logger = new RecordingLogger();
    worker = await startWorker({ store: h.store, logger, handler: 'forecast', concurrency: 1, clock: systemClock });
    await Promise.race([logger.waitFor('complete', { jobId: first.firstId! }), logger.waitFor('fail', { jobId: first.firstId! })]);
    const second = await h.store.enqueue(summer, { batchId: 'sum' });
    expect(second).toMatchObject({ jobsCreated: 1, jobsReused: 0 });
    await Promise.race([logger.waitFor('complete', { jobId: second.firstId! }), logger.waitFor('fail', { jobId: second.firstId! })]);
    const peak = async (jobId: number) => {
      const r = (await h.store.getJob(jobId))!.result as ForecastResult;
      return { scope: r.seasonalProfile?.scope, month: r.forecast.dates[r.forecast.mean.indexOf(Math.max(...r.forecast.mean))].slice(5, 7) };
    };
    // Each forecast is decided on its own dataset's profile.
    const [dec, sum] = [await peak(first.firstId!), await peak(second.firstId!)];
    expect(dec).toEqual({ scope: 'dataset', month: '12' });
    // The summer shop's profile does not fit this SKU's December year: its cross-validation rejects
    // it. A result reused from the first shop would carry that shop's profile instead.
    expect(sum.scope).toBeUndefined();
    // A job filed under an input hash (one a planner would reuse) never borrows: the key does not name the profile.
    const job = (await h.store.getJob(first.firstId!))!;
    const values = (await h.store.getSeries('dec', 'NEW'))!.original;
    const hashed = { ...job, inputHash: inputHash('NEW', 'ets', 'grid', job.settings as never, (await h.store.getSeries('dec', 'NEW'))!.dates, values) };
    const r = await new ForecastHandler(h.store, { threads: 1, inline: true }).run(hashed, { signal: new AbortController().signal, reportProgress: () => {} }) as ForecastResult; // inline: a value
    expect(r.seasonalProfile).toBeUndefined();
  });
});
