import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestDatabase, storeKinds } from '../../../tests/support/test-database.js';
import { completeAllJobs } from '../../datasets/testing/complete-jobs.js';
import { LeftOutMembers } from '../../datasets/aggregate-left-out.js';
import { defaultBodyLimitBytes } from '../api-config.js';
import { buildApp } from '../app.js';

/**
 * Totals name the SKUs they leave out, counted against the group's SKUs (review-planner finding 7:
 * "31 SKUs", then "sum of 30 of 31", then "the last period sums 29 of 30: the other has no actuals
 * for it yet" while two SKUs lacked it, and none was named).
 */
const month = (k: number) => `${2022 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
const value = (s: number, k: number) => 20 + 3 * s + 8 * Math.sin((2 * Math.PI * k) / 12) + (k % 4);

describe.each(storeKinds('aggregates leftOut'))('totals of SKUs whose histories end apart on %s', (kind) => {
  it('count the SKUs without a forecast and those without the last period against the same base, and name them (the latest ends first)', async () => {
    const db = await createTestDatabase('aggregates-left-out', kind);
    const store = await db.open();
    const app = await buildApp({ store, logger: pino({ level: 'silent' }), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
    try {
      await store.migrate();
      let csv = 'sku,month,units\n';
      for (let s = 1; s <= 6; s++) for (let k = 0; k < 40; k++) csv += `S${s},${month(k)},${value(s, k).toFixed(1)}\n`;
      const res = await app.inject({ method: 'POST', url: '/api/datasets?models=seasonal_naive', headers: { 'content-type': 'text/csv' }, payload: csv });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().datasetId as string;
      await completeAllJobs(store);
      const append = async (rows: string[]) => {
        const appended = await app.inject({ method: 'POST', url: `/api/datasets/${id}/actuals`, headers: { 'content-type': 'text/csv' }, payload: `sku,month,units\n${rows.join('\n')}\n` });
        expect(appended.statusCode, appended.body).toBe(200);
        await completeAllJobs(store);
      };
      // Month 40: S6 left out, a new SKU N (one period: too short for a forecast); month 41: S1-S5 alone.
      await append([...[1, 2, 3, 4, 5].map((s) => `S${s},${month(40)},30`), `N,${month(40)},12`]);
      await append([1, 2, 3, 4, 5].map((s) => `S${s},${month(41)},31`));
      const { total } = (await app.inject({ url: `/api/datasets/${id}/aggregates` })).json();
      expect(total.skus).toBe(7);
      expect(total.skusWithForecast).toBe(6);
      expect(total.history.dates.at(-1)).toBe(month(41));
      expect(total.history.skus.slice(-2)).toEqual([6, 5]);
      expect(total.leftOut).toEqual({
        noForecast: { count: 1, skus: ['N'] },
        outsideForecast: { count: 0, skus: [] },
        // 7 - 5: both SKUs without month 41, not the one the drop from month 40 shows.
        lastPeriod: { date: month(41), count: 2, skus: ['N', 'S6'] },
        // S6's forecast starts at month 40, so its horizon ends two months before the others' (R review finding 6).
        partialForecast: { count: 1, skus: ['S6'], from: total.forecast.dates.at(-2) },
        firstForecastDate: { count: 1, skus: ['N'] },
      });
      expect(total.forecast.skus.slice(-3)).toEqual([6, 5, 5]);
      expect(total.leftOut.lastPeriod.count).toBe(total.skus - total.history.skus.at(-1));
    } finally {
      await app.close();
      await store.close();
      await db.cleanup();
    }
  });
});

describe('LeftOutMembers', () => {
  it('names the first 5 and counts them all; a SKU whose forecast lies wholly before the total\'s forecast dates is outside it', () => {
    const members = new LeftOutMembers();
    const dates = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => month(from + k));
    for (let s = 1; s <= 3; s++) members.add(`A${s}`, dates(0, 20), dates(21, 26));
    for (let s = 1; s <= 7; s++) members.add(`Z${s}`, dates(0, 10 + s), null);
    members.add('OLD', dates(0, 5), dates(6, 11));
    members.add('SHORT', dates(0, 20), dates(21, 24));
    const left = members.result(month(20), month(26), dates(21, 26));
    expect(left.noForecast).toEqual({ count: 7, skus: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5'] });
    expect(left.outsideForecast).toEqual({ count: 1, skus: ['OLD'] });
    expect(left.lastPeriod).toEqual({ date: month(20), count: 8, skus: ['Z7', 'Z6', 'Z5', 'Z4', 'Z3'] });
    // A horizon two periods short is summed, but not on the total's last two dates: named (R review finding 6).
    expect(left.partialForecast).toEqual({ count: 1, skus: ['SHORT'], from: month(25) });
    expect(left.firstForecastDate).toEqual({ count: 8, skus: ['Z1', 'Z2', 'Z3', 'Z4', 'Z5'] });
  });
});
