import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSeries } from '../datasets/dataset.js';
import { defaultDatasetSettings } from '../datasets/dataset-settings.js';
import type { ForecastInput } from '../forecasting/index.js';
import { RETAIL_SEASON, retailSku } from '../forecasting/seasonal-profile/seasonal-profile-fixtures.js';
import { openHarness, type Harness } from '../queue/testing/runner-harness.js';
import { appendActuals } from '../datasets/actuals.js';
import { importCsv } from '../datasets/import-dataset.js';
import { modelHistory } from '../datasets/model-history.js';
import { inlineContributions, SeasonalProfileSource } from './seasonal-profile-source.js';

/** The pooled profiles a worker hands short SKUs, from a real SQLite store. */
let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

const SUMMER = [0.5, 0.6, 0.9, 1.3, 1.6, 1.7, 1.5, 1.2, 0.9, 0.7, 0.5, 0.5];

async function createDataset(tweak: (series: NewSeries[]) => void = () => {}, end = '2024-12-01'): Promise<void> {
  const series: NewSeries[] = [];
  const add = (sku: string, category: string, s: { dates: string[]; values: number[] }) =>
    series.push({ sku, dates: s.dates, original: s.values, edits: {}, length: s.values.length, volume: 0, demandClass: 'smooth', attributes: { sku, category } });
  for (let k = 0; k < 4; k++) add(`T${k}`, 'toys', retailSku(36, 50 + 10 * k, k + 1));
  for (let k = 0; k < 2; k++) add(`G${k}`, 'garden', retailSku(36, 50 + 10 * k, k + 20, SUMMER));
  add('T-NEW', 'toys', retailSku(10, 60, 40));
  add('G-NEW', 'garden', retailSku(10, 60, 41, SUMMER));
  tweak(series);
  await h.store.createDataset(
    { id: 'ds', name: 'shop', frequency: 'monthly', settings: defaultDatasetSettings('monthly'), report: {
      rows: 0, skus: series.length, dateRange: { start: '2022-01-01', end }, frequency: 'monthly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0,
      gaps: [], tooShort: [], warnings: [], mapping: { sku: 'sku', date: 'month', quantity: 'units', attributes: ['sku', 'category'] },
    } },
    series, null, null,
  );
}

const inputOf = (values: number[], modelId = 'ets') => ({ sku: 'x', values, modelId, method: 'grid', settings: { horizon: 12, holdout: 6, metric: 'mae', intervalLevels: [80] } }) as ForecastInput;

describe('SeasonalProfileSource', () => {
  it('a short SKU gets its category\'s profile where the category has three long SKUs, else the dataset\'s', async () => {
    await createDataset();
    const source = new SeasonalProfileSource(h.store);
    const toy = (await h.store.getSeries('ds', 'T-NEW'))!;
    const p = (await source.profileFor('ds', toy, inputOf(toy.original)))!;
    expect(p).toMatchObject({ frequency: 'monthly', skus: 4, scope: 'category = toys', through: '2023-12-01' });
    expect(p.indices.indexOf(Math.max(...p.indices))).toBe(RETAIL_SEASON.indexOf(Math.max(...RETAIL_SEASON)));
    const garden = (await h.store.getSeries('ds', 'G-NEW'))!;
    const d = (await source.profileFor('ds', garden, inputOf(garden.original)))!;
    expect(d).toMatchObject({ skus: 6, scope: 'dataset' }); // two garden SKUs are too few to pool
  });

  it('nothing for a long SKU, a non-seasonal or intermittent model, or an unknown dataset', async () => {
    await createDataset();
    const source = new SeasonalProfileSource(h.store);
    const long = (await h.store.getSeries('ds', 'T0'))!;
    expect(await source.profileFor('ds', long, inputOf(long.original))).toBeUndefined();
    const short = (await h.store.getSeries('ds', 'T-NEW'))!;
    expect(await source.profileFor('ds', short, inputOf(short.original, 'croston'))).toBeUndefined();
    expect(await source.profileFor('ds', short, inputOf(short.original, 'naive'))).toBeUndefined();
    expect(await source.profileFor('gone', short, inputOf(short.original))).toBeUndefined();
  });

  it('reads the dataset once while it is unchanged, again after an edit touches it', async () => {
    await createDataset();
    let reads = 0;
    const counting = { getDataset: (id: string) => h.store.getDataset(id), skuAttributes: (id: string) => h.store.skuAttributes(id), getSeriesMany: (id: string, skus?: string[]) => { reads++; return h.store.getSeriesMany(id, skus); } };
    const source = new SeasonalProfileSource(counting);
    const short = (await h.store.getSeries('ds', 'T-NEW'))!;
    await Promise.all([source.profileFor('ds', short, inputOf(short.original)), source.profileFor('ds', short, inputOf(short.original))]);
    await source.profileFor('ds', short, inputOf(short.original));
    expect(reads).toBe(1);
    await h.clock.advance(1000);
    await h.store.updateSeries('ds', [{ sku: 'T0', edits: { 3: 10 }, volume: 0, demandClass: 'smooth' }], null, null);
    await source.profileFor('ds', short, inputOf(short.original));
    expect(reads).toBe(2);
  });

  it('reads the dataset a page of SKUs at a time and hands each page\'s CPU to `contribute` (the worker\'s threads)', async () => {
    await createDataset();
    const pages: number[] = [];
    const source = new SeasonalProfileSource(h.store, async (page, frequency, through) => {
      pages.push(page.length);
      return inlineContributions(page, frequency, through);
    });
    const toy = (await h.store.getSeries('ds', 'T-NEW'))!;
    expect(await source.profileFor('ds', toy, inputOf(toy.original))).toMatchObject({ skus: 4, scope: 'category = toys' });
    expect(pages).toEqual([8]);
  });

  it('intermittent and lumpy SKUs pool nothing: two intermittent toys leave the toys two long SKUs, too few; the dataset\'s profile stands in', async () => {
    await createDataset();
    await h.clock.advance(1000);
    // Cleaned to a sale every fourth month: intermittent by their values, whatever class is stored.
    const length = (await h.store.getSeries('ds', 'T0'))!.length;
    const sparse = Object.fromEntries(Array.from({ length }, (_, i) => i).filter((i) => i % 4 !== 0).map((i) => [i, 0]));
    await h.store.updateSeries('ds', ['T0', 'T1'].map((sku) => ({ sku, edits: sparse, volume: 0, demandClass: 'smooth' as const })), null, null);
    const source = new SeasonalProfileSource(h.store);
    const toy = (await h.store.getSeries('ds', 'T-NEW'))!;
    expect(await source.profileFor('ds', toy, inputOf(toy.original))).toMatchObject({ skus: 4, scope: 'dataset' }); // T2, T3, G0, G1
  });

  it('pools no month to date: a long SKU\'s trailing provisional period is left out, as its own job leaves it out', async () => {
    // T0 has January to date: five days, 3 units.
    await createDataset((series) => {
      const t0 = series.find((s) => s.sku === 'T0')!;
      const date = '2025-01-01';
      Object.assign(t0, { dates: [...t0.dates, date], original: [...t0.original, 3], length: t0.length + 1, provisional: { [date]: { from: date, to: '2025-01-05', value: 3 } } });
    });
    expect((await h.store.getSeries('ds', 'T0'))!.provisional).toBeDefined();
    const seen: string[][] = [];
    const source = new SeasonalProfileSource(h.store, async (page, frequency, through) => {
      seen.push(...page.map((p) => p.dates ?? []));
      return inlineContributions(page, frequency, through);
    });
    const short = (await h.store.getSeries('ds', 'T-NEW'))!;
    await source.profileFor('ds', short, inputOf(short.original));
    const long = seen.filter((d) => d.length >= 36);
    expect(long.length).toBe(6);
    expect(long.every((d) => d.at(-1) === '2024-12-01')).toBe(true);
  });

  it('cuts the pool off a year before the last whole period: every SKU\'s January to date (report dateRange.end 2025-01-05) moves `through` nowhere (was: 2024-01-05)', async () => {
    await createDataset((series) => {
      const date = '2025-01-01';
      for (const s of series.filter((x) => x.length === 36)) {
        Object.assign(s, { dates: [...s.dates, date], original: [...s.original, 3], length: s.length + 1, provisional: { [date]: { from: date, to: '2025-01-05', value: 3 } } });
      }
    }, '2025-01-05');
    const source = new SeasonalProfileSource(h.store);
    const toy = (await h.store.getSeries('ds', 'T-NEW'))!;
    expect(await source.profileFor('ds', toy, inputOf(toy.original))).toMatchObject({ skus: 4, scope: 'category = toys', through: '2023-12-01' });
  });

  it('classes a SKU by its model history: a stored class made lumpy by the month to date keeps it in the pool', async () => {
    await createDataset((series) => {
      for (const sku of ['T0', 'T1']) {
        const s = series.find((x) => x.sku === sku)!;
        const date = '2025-01-01';
        // As a merge stores it: the class of every cleaned value, the month to date included.
        Object.assign(s, { dates: [...s.dates, date], original: [...s.original, 0], length: s.length + 1, demandClass: 'lumpy', provisional: { [date]: { from: date, to: '2025-01-01', value: 0 } } });
      }
    });
    const source = new SeasonalProfileSource(h.store);
    const toy = (await h.store.getSeries('ds', 'T-NEW'))!;
    expect(await source.profileFor('ds', toy, inputOf(toy.original))).toMatchObject({ skus: 4, scope: 'category = toys' });
  });

  it('an append of January to date (the real verb, a real file) leaves the profile as it was; January whole moves it on (was: cut off a month later from its first days)', async () => {
    let file = 'sku,month,units\n';
    for (let k = 0; k < 4; k++) {
      const s = retailSku(36, 50 + 10 * k, k + 1);
      s.dates.forEach((d, i) => { file += `T${k},${d},${s.values[i]}\n`; });
    }
    const young = retailSku(36, 60, 40);
    young.dates.slice(20).forEach((d, i) => { file += `NEW,${d},${young.values[20 + i]}\n`; });
    const imported = await importCsv(h.store, [file], { frequency: 'monthly', createJobs: false });
    const dataset = (await h.store.getDataset(imported.datasetId!))!;
    const source = new SeasonalProfileSource(h.store);
    const profile = async () => {
      const short = (await h.store.getSeries(dataset.id, 'NEW'))!;
      return source.profileFor(dataset.id, short, inputOf(modelHistory(short).values));
    };
    const before = await profile();
    expect(before).toMatchObject({ skus: 4, through: '2023-12-01' });
    const january = (to: number) => {
      let out = 'sku,date,units\n';
      for (let d = 1; d <= to; d++) for (const sku of ['T0', 'T1', 'T2', 'T3', 'NEW']) out += `${sku},2025-01-${String(d).padStart(2, '0')},4\n`;
      return out;
    };
    await appendActuals(h.store, dataset, [january(2)]);
    expect(await profile()).toEqual(before);
    await appendActuals(h.store, (await h.store.getDataset(dataset.id))!, [january(31)]);
    expect(await profile()).toMatchObject({ skus: 4, through: '2024-01-01' });
  });
});
