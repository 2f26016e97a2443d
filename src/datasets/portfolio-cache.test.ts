import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';
import type { Store } from '../stores/store.js';
import { importCsv } from './import-dataset.js';
import { portfolioSummary } from './dataset-results.js';
import { PortfolioCache } from './portfolio-cache.js';
import { sampleCsvChunks } from './sample-dataset.js';
import { completeAllJobs } from './testing/complete-jobs.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-portfolio-'));
  store = await openSqliteStore(path.join(dir, 'jobs.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PortfolioCache', () => {
  it('serves a summary while jobs change for maxAge, recomputes after, and at once on an override', async () => {
    const { dataset } = await importCsv(store, sampleCsvChunks({ skus: 6 }), { models: ['seasonal_naive', 'simple_exponential_smoothing'] });
    let now = 0;
    const cache = new PortfolioCache(5000, () => now);
    const before = await cache.get(store, dataset!);
    expect(before.portfolio.skusWithForecast).toBe(0);
    // One job stays running (another worker holds it): the queue is still draining.
    const held = await store.claim({ workerId: 'other-worker', limit: 1, leaseMs: 60_000 });
    expect(held).toHaveLength(1);
    await completeAllJobs(store);
    now = 1000;
    expect((await cache.get(store, dataset!)).portfolio.skusWithForecast).toBe(0); // within maxAge: the cached one
    now = 6000;
    const after = await cache.get(store, dataset!);
    expect(after.portfolio.skusWithForecast).toBe(6);
    expect(after.portfolio.wape).toBeGreaterThan(0);
    // Two SKUs whose seasonal_naive job completed (not the one still held).
    const skus = (await store.listSkus(dataset!.id, { limit: 6, offset: 0 })).items.map((i) => i.sku).filter((sku) => sku !== held[0].job.sku);
    await store.setOverride(dataset!.id, skus[0], 'seasonal_naive');
    await store.setOverride(dataset!.id, skus[1], 'seasonal_naive');
    const overridden = await cache.get(store, dataset!);
    expect(overridden).not.toBe(after);
    expect(overridden.bestModels.seasonal_naive ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('starts one summary for requests that come while it is computed, and a new one for another choice', async () => {
    const { dataset } = await importCsv(store, sampleCsvChunks({ skus: 6 }), { models: ['seasonal_naive'] });
    await completeAllJobs(store);
    let computed = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const cache = new PortfolioCache(5000, () => 0, async (s, d) => {
      computed++;
      await gate;
      return portfolioSummary(s, d);
    });
    const asked = Array.from({ length: 5 }, () => cache.get(store, dataset!));
    // One turn of the loop: the store's reads have answered (microtasks), every request has joined the flight.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const answers = await Promise.all(asked);
    expect(computed).toBe(1);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0].portfolio.skusWithForecast).toBe(6);
    expect(await cache.get(store, dataset!)).toBe(answers[0]); // then the cached one
    const skus = (await store.listSkus(dataset!.id, { limit: 1, offset: 0 })).items.map((i) => i.sku);
    await store.setOverride(dataset!.id, skus[0], 'seasonal_naive');
    await cache.get(store, dataset!);
    expect(computed).toBe(2);
  });

  it('keeps the newer summary when an older computation finishes last, and a failed one leaves nothing behind', async () => {
    const { dataset } = await importCsv(store, sampleCsvChunks({ skus: 6 }), { models: ['seasonal_naive'] });
    const gates: Array<{ release: () => void; fail: () => void }> = [];
    let computed = 0;
    const cache = new PortfolioCache(5000, () => 0, async (s, d) => {
      computed++;
      await new Promise<void>((resolve, reject) => gates.push({ release: resolve, fail: () => reject(new Error('store gone')) }));
      return portfolioSummary(s, d);
    });
    // The first computation fails: its waiters see the error, the next request starts afresh.
    const failing = cache.get(store, dataset!);
    await new Promise((resolve) => setImmediate(resolve));
    gates[0].fail();
    await expect(failing).rejects.toThrow('store gone');
    // An older computation (queue at version v, draining) ...
    const [held] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    const older = cache.get(store, dataset!);
    await new Promise((resolve) => setImmediate(resolve));
    // ... and, the queue idle at a later version, a newer one, which finishes first.
    await completeAllJobs(store);
    expect(await store.complete(held, { held: true })).toBe(true);
    expect((await store.summary()).running).toBe(0);
    const newer = cache.get(store, dataset!);
    await new Promise((resolve) => setImmediate(resolve));
    expect(computed).toBe(3);
    gates[2].release();
    const fresh = await newer;
    expect(fresh.portfolio.skusWithForecast).toBe(5); // the held job's result is no forecast
    gates[1].release();
    await older;
    expect(await cache.get(store, dataset!)).toBe(fresh); // the newer one stayed: no fourth scan
    expect(computed).toBe(3);
  });

  it('recomputes at once when the queue is idle: the summary never predates "all done"', async () => {
    const { dataset } = await importCsv(store, sampleCsvChunks({ skus: 6 }), { models: ['seasonal_naive'] });
    let now = 0;
    const cache = new PortfolioCache(5000, () => now);
    expect((await cache.get(store, dataset!)).portfolio.skusWithForecast).toBe(0);
    await completeAllJobs(store);
    now = 1000;
    const idle = await cache.get(store, dataset!);
    expect(idle.portfolio.skusWithForecast).toBe(6);
    now = 2000;
    expect(await cache.get(store, dataset!)).toBe(idle); // nothing changed since: the cached one
  });
});
