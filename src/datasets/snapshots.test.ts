import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../tests/support/api-test-app.js';
import { completeAllJobs } from './testing/complete-jobs.js';

/**
 * What a snapshot says its forecasts start from, and which of its forecasts forecast vs actual
 * scores, against the real app, a real SQLite file and the real engine.
 */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

const month = (k: number) => `${2020 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
const post = (url: string, payload: string) => t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload });
const get = async (url: string) => {
  const res = await t.app.inject({ url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

async function imported(csv: string, query = ''): Promise<string> {
  const res = await post(`/api/datasets?models=naive${query}`, csv);
  expect(res.statusCode, res.body).toBe(201);
  await completeAllJobs(t.store);
  return res.json().datasetId as string;
}

describe('snapshots and forecast vs actual', () => {
  it('a SKU that stopped selling long ago neither dates the snapshot ("forecasts from") nor gets its stale forecast scored against the zeros filled in for it', async () => {
    let csv = 'sku,date,sales\n';
    for (let k = 0; k < 30; k++) csv += `A,${month(k)},${100 + k}\nB,${month(k)},${50 + k}\n`;
    // L stopped after 12 months: its forecast starts at month 12, 18 months before the others'.
    // Under fillGaps=report, which leaves its missing tail out (the default, zero, fills it to the
    // dataset's end, and L's forecast starts with the others': series-accumulator.test.ts).
    for (let k = 0; k < 12; k++) csv += `L,${month(k)},${40 + k}\n`;
    const id = await imported(csv, '&fillGaps=report');
    const forecasts = (await get(`/api/datasets/${id}/forecasts?limit=10`)).items;
    expect(forecasts.find((i: { sku: string }) => i.sku === 'L').forecast.dates[0]).toBe(month(12));
    const [snapshot] = (await get(`/api/datasets/${id}/snapshots`)).snapshots;
    expect(snapshot).toMatchObject({ historyEnd: month(29), forecastStart: month(30) });

    // Three months for A and B; L sold nothing (absentSkus=zero fills its months with 0).
    let next = 'sku,date,sales\n';
    for (let k = 30; k < 33; k++) next += `A,${month(k)},${100 + k}\nB,${month(k)},${50 + k}\n`;
    const appended = await post(`/api/datasets/${id}/actuals?absentSkus=zero`, next);
    expect(appended.statusCode, appended.body).toBe(200);
    expect((await get(`/api/datasets/${id}/skus/L`)).dates.at(-1)).toBe(month(32));
    const acc = await get(`/api/datasets/${id}/accuracy`);
    expect(acc.snapshot.id).toBe(snapshot.id);
    // A and B's months 30 to 32; none of L's forecast (months 12 to 23, before the history end).
    expect(acc.portfolio.points).toBe(6);
    expect(acc.items.map((i: { sku: string }) => i.sku).sort()).toEqual(['A', 'B']);
    expect(acc.byStep.map((s: { points: number }) => s.points)).toEqual([2, 2, 2]);
  });

  it('the month to date: the snapshot\'s history ends the month before, its forecasts start at the month, and the whole month\'s actuals score them', async () => {
    let csv = 'sku,date,sales\n';
    for (let k = 0; k < 30; k++) csv += `A,${month(k)},${100 + k}\nB,${month(k)},${50 + k}\n`;
    const id = await imported(csv);
    const day = month(30).slice(0, 8);
    let toDate = 'sku,day,sales\n';
    for (let d = 1; d <= 5; d++) toDate += `A,${day}0${d},3\nB,${day}0${d},2\n`;
    const partial = await post(`/api/datasets/${id}/actuals`, toDate);
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json().partial.provisional).toBe(2);
    await completeAllJobs(t.store);
    const [snapshot] = (await get(`/api/datasets/${id}/snapshots`)).snapshots;
    expect(snapshot).toMatchObject({ historyEnd: month(29), forecastStart: month(30) });

    const whole = await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nA,${month(30)},140\nB,${month(30)},75\n`);
    expect(whole.statusCode, whole.body).toBe(200);
    const acc = await get(`/api/datasets/${id}/accuracy`);
    expect(acc.snapshot.id).toBe(snapshot.id);
    // naive: each SKU's last whole month (129 and 79), not the five days to date.
    expect(acc.portfolio.points).toBe(2);
    expect(acc.portfolio.mae).toBeCloseTo((11 + 4) / 2, 6);
  });

  it('the month to date when the longest SKU stopped selling long ago: most SKUs\' forecasts set the history end, not that SKU', async () => {
    let csv = 'sku,date,sales\n';
    for (let k = 0; k < 40; k++) csv += `OLD,${month(k)},${60 + k}\n`; // the longest, stopped at month 39
    for (let k = 20; k < 50; k++) csv += `A,${month(k)},${100 + k}\nB,${month(k)},${50 + k}\n`;
    const id = await imported(csv);
    const day = month(50).slice(0, 8);
    let toDate = 'sku,day,sales\n';
    for (let d = 1; d <= 5; d++) toDate += `A,${day}0${d},3\nB,${day}0${d},2\n`;
    expect((await post(`/api/datasets/${id}/actuals`, toDate)).statusCode).toBe(200);
    await completeAllJobs(t.store);
    const [snapshot] = (await get(`/api/datasets/${id}/snapshots`)).snapshots;
    // was: historyEnd month 50 read from OLD (whose last period is whole), so the month to date's
    // forecasts, month 50, were never scored and the snapshot read "forecasts from" month 51
    expect(snapshot).toMatchObject({ historyEnd: month(49), forecastStart: month(50) });
    expect((await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nA,${month(50)},160\nB,${month(50)},95\n`)).statusCode).toBe(200);
    const acc = await get(`/api/datasets/${id}/accuracy`);
    expect(acc.snapshot.id).toBe(snapshot.id);
    expect(acc.portfolio.points).toBe(2);
  });

  it('accuracy.csv by an attribute named like one of its columns (a model column marked at import): the attribute\'s column is by_model, so no two headers are alike', async () => {
    let csv = 'sku,model,date,sales\n';
    for (let k = 0; k < 30; k++) csv += `A,X1,${month(k)},${100 + k}\nB,X2,${month(k)},${50 + k}\n`;
    const mapping = encodeURIComponent(JSON.stringify({ sku: 'sku', date: 'date', quantity: 'sales', attributes: ['model'] }));
    const res = await post(`/api/datasets?models=naive&mapping=${mapping}`, csv);
    expect(res.statusCode, res.body).toBe(201);
    await completeAllJobs(t.store);
    const id = res.json().datasetId as string;
    expect((await post(`/api/datasets/${id}/actuals`, `sku,model,date,sales\nA,X1,${month(30)},140\nB,X2,${month(30)},75\n`)).statusCode).toBe(200);
    const file = await t.app.inject({ url: `/api/datasets/${id}/accuracy.csv?by=model` });
    expect(file.statusCode, file.body).toBe(200);
    const [head, ...rows] = file.body.trim().split('\n').map((line) => line.split(','));
    expect(head.slice(0, 3)).toEqual(['sku', 'by_model', 'model']); // was: sku,model,model
    expect(rows.map((r) => [r[0], r[1], r[2]]).sort()).toEqual([['A', 'X1', 'naive'], ['B', 'X2', 'naive']]);
  });

  it('a long tail where most SKUs had no line last month (absentSkus keep): the history ends before the tail\'s forecasts, which are scored when their actuals come', async () => {
    let csv = 'sku,date,sales\n';
    const tail = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8'];
    for (let k = 0; k < 30; k++) for (const sku of ['A', 'B', ...tail]) csv += `${sku},${month(k)},${20 + k}\n`;
    const id = await imported(csv);
    // Month 30 for A and B alone: the tail's histories, and so their forecasts, stay a month behind.
    expect((await post(`/api/datasets/${id}/actuals`, `sku,date,sales\nA,${month(30)},50\nB,${month(30)},50\n`)).statusCode).toBe(200);
    await completeAllJobs(t.store);
    const [snapshot] = (await get(`/api/datasets/${id}/snapshots`)).snapshots;
    expect(snapshot).toMatchObject({ historyEnd: month(29), forecastStart: month(30) });
    // The tail's month 30 comes later: its forecast of that month is scored; A and B have no forecast of it.
    let late = 'sku,date,sales\n';
    for (const sku of tail) late += `${sku},${month(30)},50\n`;
    expect((await post(`/api/datasets/${id}/actuals`, late)).statusCode).toBe(200);
    const acc = await get(`/api/datasets/${id}/accuracy?snapshot=${snapshot.id}`);
    expect(acc.portfolio.points).toBe(8);
  });

  it('one store\'s actuals a month ahead of the others: the others\' forecasts of that month are still scored when theirs come (was: the end moved forward, 0 points)', async () => {
    let csv = 'sku,date,sales\n';
    const ahead = ['A1', 'A2', 'A3'];
    const behind = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];
    for (let k = 0; k < 30; k++) for (const sku of [...ahead, ...behind]) csv += `${sku},${month(k)},${20 + k}\n`;
    const id = await imported(csv);
    let first = 'sku,date,sales\n';
    for (const sku of ahead) first += `${sku},${month(30)},60\n`;
    expect((await post(`/api/datasets/${id}/actuals`, first)).statusCode).toBe(200);
    await completeAllJobs(t.store);
    const [snapshot] = (await get(`/api/datasets/${id}/snapshots`)).snapshots;
    expect(snapshot).toMatchObject({ historyEnd: month(29), forecastStart: month(30) });
    let rest = 'sku,date,sales\n';
    for (const sku of behind) rest += `${sku},${month(30)},60\n`;
    expect((await post(`/api/datasets/${id}/actuals`, rest)).statusCode).toBe(200);
    const acc = await get(`/api/datasets/${id}/accuracy?snapshot=${snapshot.id}`);
    expect(acc.portfolio.points).toBe(6);
  });
});
