import { describe, expect, it } from 'vitest';
import type { Store } from '../stores/store.js';
import { forecastAccuracy } from './accuracy.js';
import type { Dataset, SeriesRecord } from './dataset.js';
import type { Snapshot, SnapshotItemRow } from './planning-cycle-store.js';
import { encodeSnapshotValues, type SnapshotValues } from './snapshot-values.js';

/**
 * Forecast vs actual on hand-made numbers: the formulas (WAPE volume-weighted, bias positive for
 * over-forecast, coverage per band), by step, and which points count (forecast dates the history
 * now has). The store is reduced to the two reads accuracy makes; the real stores: e2e planning-cycle.
 */
const dates = ['2025-01-01', '2025-02-01', '2025-03-01'];

function item(sku: string, v: SnapshotValues): SnapshotItemRow {
  return { sku, modelId: 'ets', selectedBy: 'metric', error: null, dates, values: encodeSnapshotValues(v) };
}

function history(sku: string, d: string[], original: number[], attributes: Record<string, string> = {}): SeriesRecord {
  return { datasetId: 'ds', sku, attributes, dates: d, original, edits: {}, length: d.length, volume: 0, demandClass: 'smooth', updatedAt: 0 };
}

function storeOf(items: SnapshotItemRow[], series: SeriesRecord[]): Store {
  return {
    snapshotItems: async () => items,
    getSeriesMany: async (_id: string, skus: string[]) => series.filter((s) => skus.includes(s.sku)),
    skuAttributes: async () => Object.fromEntries(series.filter((s) => Object.keys(s.attributes ?? {}).length > 0).map((s) => [s.sku, s.attributes])),
  } as unknown as Store;
}

const snapshot = { id: 1, datasetId: 'ds' } as Snapshot;
const dataset = { id: 'ds', frequency: 'monthly' } as Dataset;
const all = { limit: 100, offset: 0 };

describe('forecastAccuracy', () => {
  it('WAPE = 100 sum|a-f| / sum|a|, bias = 100 sum(f-a) / sum|a| (over-forecast positive), MAE, coverage of each band, by step', async () => {
    const store = storeOf([
      item('A', { mean: [10, 20, 30], lower80: [8, 18, 28], upper80: [12, 22, 32], lower95: [5, 10, 20], upper95: [15, 30, 40] }),
      item('B', { mean: [100, 100, 100], lower80: null, upper80: null, lower95: null, upper95: null }),
    ], [
      // A: history up to 2024-12 then the first two forecast months arrived; B: only the first.
      history('A', ['2024-12-01', dates[0], dates[1]], [9, 12, 15]),
      history('B', ['2024-12-01', dates[0]], [50, 80]),
    ]);
    const r = await forecastAccuracy(store, dataset, snapshot, null, all);
    // points: A (10 vs 12), A (20 vs 15), B (100 vs 80)
    expect(r.portfolio.points).toBe(3);
    expect(r.portfolio.wape).toBeCloseTo((100 * 27) / 107, 3);
    expect(r.portfolio.bias).toBeCloseTo((100 * (-2 + 5 + 20)) / 107, 3);
    expect(r.portfolio.mae).toBeCloseTo(27 / 3, 3);
    // coverage: only A has bands; 12 is inside [8, 12], 15 outside [18, 22]; both inside the 95% bands.
    expect(r.portfolio).toMatchObject({ coverage80: 50, coverage95: 100 });
    expect(r.byStep.map((s) => [s.step, s.points])).toEqual([[1, 2], [2, 1]]);
    expect(r.byStep[0].wape).toBeCloseTo((100 * 22) / 92, 3);
    expect(r.items.map((i) => i.sku)).toEqual(['B', 'A']); // biggest miss first
    expect(r.items[1]).toMatchObject({ sku: 'A', points: 2, absError: 7 });
    expect(r.items[1].bias).toBeCloseTo((100 * 3) / 27, 3);
  });

  it('by store: each store pools its SKUs\' points, and its summed forecast meets its summed actuals, where one SKU\'s miss offsets another\'s', async () => {
    const flat = (m: number): SnapshotValues => ({ mean: [m, m, m], lower80: null, upper80: null, lower95: null, upper95: null });
    const store = storeOf([item('N1', flat(10)), item('N2', flat(20)), item('S1', flat(50)), item('X', flat(5)), item('W1', flat(7))], [
      // North: N1 over by 4 and 2, N2 under by 4 and 2: its total is exact.
      history('N1', ['2024-12-01', dates[0], dates[1]], [0, 6, 8], { store: 'North' }),
      history('N2', ['2024-12-01', dates[0], dates[1]], [0, 24, 22], { store: 'North' }),
      // South: one SKU, one month, under by 10.
      history('S1', ['2024-12-01', dates[0]], [0, 60], { store: 'South' }),
      // No store: left to the last group.
      history('X', ['2024-12-01', dates[0]], [0, 5]),
      // West: its actuals not in yet.
      history('W1', ['2024-12-01'], [0], { store: 'West' }),
    ]);
    const r = await forecastAccuracy(store, dataset, snapshot, null, { ...all, by: 'STORE' });
    expect(r.by).toBe('store');
    expect(r.attributes).toEqual(['store']);
    expect(r.groups.map((g) => [g.value, g.skus, g.points])).toEqual([['North', 2, 4], ['South', 1, 1], ['West', 0, 0], [null, 1, 1]]);
    expect(r.groups[2]).toMatchObject({ wape: null, bias: null, summed: { wape: null, bias: null, points: 0 } }); // no actuals yet: listed, not left out
    const north = r.groups[0];
    expect(north.wape).toBeCloseTo((100 * 12) / 60, 3); // |10-6| + |10-8| + |20-24| + |20-22| over 6+8+24+22
    expect(north.bias).toBe(0);
    expect(north.summed).toEqual({ wape: 0, bias: 0, points: 2 }); // 30 against 30, twice
    expect(r.groups[1]).toMatchObject({ wape: 16.667, bias: -16.667, summed: { points: 1 } }); // rounded to 3 decimals
    expect(r.groups[1].summed.wape).toBeCloseTo(16.667, 3);
    // The dataset's sum: January 85 forecast against 95, February 30 against 30.
    expect(r.summed.points).toBe(2);
    expect(r.summed.wape).toBeCloseTo((100 * 10) / 125, 3);
    expect(r.summed.bias).toBeCloseTo((-100 * 10) / 125, 3);
    expect((await forecastAccuracy(store, dataset, snapshot, null, all)).groups).toEqual([]);
    // With sku: that SKU's group alone (not every other store shown as without actuals).
    const one = await forecastAccuracy(store, dataset, snapshot, null, { ...all, by: 'store', sku: 'N1' });
    expect(one.groups.map((g) => [g.value, g.skus, g.points])).toEqual([['North', 1, 2]]);
    // A SKU whose actuals have not come: its group, with no points (not an empty list).
    const waiting = await forecastAccuracy(store, dataset, snapshot, null, { ...all, by: 'store', sku: 'W1' });
    expect(waiting.groups.map((g) => [g.value, g.skus, g.points])).toEqual([['West', 0, 0]]);
    await expect(forecastAccuracy(store, dataset, snapshot, null, { ...all, by: 'colour' })).rejects.toMatchObject({ details: [{ path: 'by' }] });
  });

  it('sums SKUs by the period their actual fills, not by the forecast\'s date text (one forecast dated mid-month)', async () => {
    const flat = (m: number): SnapshotValues => ({ mean: [m, m, m], lower80: null, upper80: null, lower95: null, upper95: null });
    const midMonth = { ...item('A', flat(10)), dates: ['2025-01-15', '2025-02-15', '2025-03-15'] };
    const store = storeOf([midMonth, item('B', flat(20))], [
      history('A', ['2024-12-01', dates[0]], [0, 14]),
      history('B', ['2024-12-01', dates[0]], [0, 16]),
    ]);
    const r = await forecastAccuracy(store, dataset, snapshot, null, all);
    expect(r.portfolio.points).toBe(2);
    expect(r.summed).toEqual({ wape: 0, bias: 0, points: 1 }); // 30 against 30 in January
    // A SKU stored on month ends (appended before the dataset's calendar was kept) beside one on 1sts.
    const mixed = storeOf([item('A', flat(10)), item('B', flat(20))], [
      history('A', ['2024-12-31', '2025-01-31'], [0, 14]),
      history('B', ['2024-12-01', dates[0]], [0, 16]),
    ]);
    expect((await forecastAccuracy(mixed, dataset, snapshot, null, all)).summed).toEqual({ wape: 0, bias: 0, points: 1 });
  });

  it('gives every step an entry when no SKU has an actual for an early step yet, and a missing bound is no miss', async () => {
    const store = storeOf([
      item('A', { mean: [10, 20, 30], lower80: [8, Number.NaN, 28], upper80: [12, 22, 32], lower95: null, upper95: null }),
    ], [
      // The history has the second and third forecast months but not the first (a gap left open).
      history('A', ['2024-12-01', dates[1], dates[2]], [9, 21, 29]),
    ]);
    const r = await forecastAccuracy(store, dataset, snapshot, null, all);
    const json = JSON.parse(JSON.stringify(r.byStep));
    expect(json).toHaveLength(3);
    expect(json[0]).toMatchObject({ step: 1, points: 0, wape: null });
    expect(json[1]).toMatchObject({ step: 2, points: 1, coverage80: null });
    expect(json[2]).toMatchObject({ step: 3, points: 1, coverage80: 100 });
    expect(r.portfolio).toMatchObject({ points: 2, coverage80: 100 });
  });

  it('matches a forecast to the actual of its period, whatever day of the month each is dated', async () => {
    const mid = ['2025-01-15', '2025-02-15', '2025-03-15'];
    const store = storeOf([
      { ...item('A', { mean: [10, 20, 30], lower80: null, upper80: null, lower95: null, upper95: null }), dates: mid },
    ], [
      // A mid-month history; the appended months took the calendar's first day.
      history('A', ['2024-11-15', '2024-12-15', '2025-01-01', '2025-02-01'], [9, 9, 12, 15]),
    ]);
    const r = await forecastAccuracy(store, dataset, snapshot, null, all);
    expect(r.portfolio.points).toBe(2);
    expect(r.portfolio.mae).toBeCloseTo(3.5, 9);
  });

  it('a provisional period (its value summed from part of it, the month to date) has no actual yet: no point, not a miss', async () => {
    const store = storeOf([item('A', { mean: [10, 20, 30], lower80: null, upper80: null, lower95: null, upper95: null })], [
      { ...history('A', ['2024-12-01', '2025-01-01', '2025-02-01'], [9, 12, 5]), provisional: { '2025-02-01': { from: '2025-02-01', to: '2025-02-07', value: 5 } } },
    ]);
    const r = await forecastAccuracy(store, dataset, snapshot, null, all);
    expect(r.portfolio.points).toBe(1);
    expect(r.portfolio.mae).toBeCloseTo(2, 9);
    expect(r.byStep.map((s) => s.points)).toEqual([1]);
  });

  it('counts only forecast dates after the snapshot\'s history end: a SKU that stopped selling keeps a forecast of months the dataset already had, which later zeros must not score (was: WAPE 7% on 45 points became 30.3% on 82)', async () => {
    // The dataset's history ran to 2024-12 when the snapshot was taken; L's own history had stopped
    // in 2024-10, so its stale forecast starts 2024-11.
    const stale = ['2024-11-01', '2024-12-01', '2025-01-01'];
    const store = storeOf([
      item('A', { mean: [10, 20, 30], lower80: null, upper80: null, lower95: null, upper95: null }),
      { ...item('L', { mean: [500, 500, 500], lower80: null, upper80: null, lower95: null, upper95: null }), dates: stale },
    ], [
      history('A', ['2024-12-01', '2025-01-01', '2025-02-01'], [9, 12, 15]),
      // Zeros for the months L was absent (absentSkus=zero).
      history('L', ['2024-10-01', '2024-11-01', '2024-12-01', '2025-01-01'], [7, 0, 0, 0]),
    ]);
    // A month-end history end: compared by period, so L's December (dated the 1st) is not after it.
    const r = await forecastAccuracy(store, dataset, { ...snapshot, historyEnd: '2024-12-31' }, null, all);
    // A: 2025-01 (step 1, 10 vs 12) and 2025-02 (20 vs 15); L: 2025-01 only (its step 3, 500 vs 0).
    expect(r.portfolio.points).toBe(3);
    expect(r.items.find((i) => i.sku === 'L')).toMatchObject({ points: 1, absError: 500 });
    expect(r.byStep.map((s) => [s.step, s.points])).toEqual([[1, 1], [2, 1], [3, 1]]);
    // Without a history end (a snapshot stored before one was kept) every date counts, as before.
    const old = await forecastAccuracy(store, dataset, { ...snapshot, historyEnd: null }, null, all);
    expect(old.portfolio.points).toBe(5);
  });
});
