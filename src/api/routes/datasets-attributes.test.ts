import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';

/** Composite SKU keys (store x item) and attributes, through POST /api/datasets on a real SQLite store. */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Two stores x two items, 14 months each; item I2 is "frozen", I1 "dairy"; store S2 is in the north. */
function storeItemCsv(): { csv: string; sums: Map<string, number> } {
  let csv = 'store,item,category,region,month,units\n';
  const sums = new Map<string, number>();
  for (const store of ['S1', 'S2']) {
    for (const item of ['I1', 'I2']) {
      for (let m = 0; m < 14; m++) {
        const date = `${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
        const v = (store === 'S1' ? 10 : 20) + (item === 'I1' ? 1 : 2) * m;
        csv += `${store},${item},${item === 'I1' ? 'dairy' : 'frozen'},${store === 'S2' ? 'north' : 'south'},${date},${v}\n`;
        const key = `${store} / ${item}`;
        sums.set(key, (sums.get(key) ?? 0) + v);
      }
    }
  }
  return { csv, sums };
}

function post(body: string, mapping: unknown, extra = '') {
  return t.app.inject({
    method: 'POST',
    url: `/api/datasets?createJobs=false&mapping=${encodeURIComponent(JSON.stringify(mapping))}${extra}`,
    headers: { 'content-type': 'text/csv' },
    payload: body,
  });
}

describe('composite SKU keys and attributes', () => {
  it('store x item becomes one SKU per pair, shown joined; the parts and marked columns are its attributes', async () => {
    const { csv, sums } = storeItemCsv();
    const res = await post(csv, { sku: ['store', 'item'], attributes: ['category', 'region'], date: 'month', quantity: 'units' });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.skus).toBe(4);
    expect(report.mapping).toEqual({
      sku: 'store / item', skuColumns: ['store', 'item'], date: 'month', quantity: 'units',
      attributes: ['store', 'item', 'category', 'region'],
    });
    const list = (await t.app.inject({ url: `/api/datasets/${datasetId}/skus?limit=10` })).json();
    expect(list.items.map((i: { sku: string; volume: number }) => [i.sku, i.volume])).toEqual([...sums.entries()].sort());
    expect(list.items[3].attributes).toEqual({ store: 'S2', item: 'I2', category: 'frozen', region: 'north' });
    const one = await t.app.inject({ url: `/api/datasets/${datasetId}/skus/${encodeURIComponent('S1 / I2')}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().attributes).toEqual({ store: 'S1', item: 'I2', category: 'frozen', region: 'south' });
    const byStore = new Map<string, number>();
    for (const [sku, attributes] of Object.entries(await t.store.skuAttributes(datasetId))) {
      byStore.set(attributes.store, (byStore.get(attributes.store) ?? 0) + sums.get(sku)!);
    }
    expect(byStore.get('S1')).toBe(sums.get('S1 / I1')! + sums.get('S1 / I2')!);
  });

  it('an item sold in two stores, keyed by the item alone with the store kept as an attribute: its lines are summed and the warning says to key by the store', async () => {
    const csv = 'store,item,date,qty\nS1,I1,2024-01-01,1\nS2,I1,2024-01-01,2\nS1,I1,2024-02-01,3\nS2,I1,2024-02-01,4\n';
    const res = await post(csv, { sku: 'item', attributes: ['store'] });
    expect(res.statusCode, res.body).toBe(201);
    const { report } = res.json();
    expect(report.duplicates).toBe(2);
    expect(report.warnings.join('\n')).toContain("attribute 'store' has more than one value for some SKUs (I1: 'S1' and 'S2'); the first is kept; some SKUs have lines of two store values on one date, summed: if each store is a series of its own, make 'store' part of the SKU key");
    // With a composite key (two key parts before the attribute): the hint reads the attribute's own values.
    const keyed = await post('region,store,item,channel,date,qty\nN,S1,I1,web,2024-01-01,1\nN,S1,I1,shop,2024-01-01,2\nN,S1,I1,web,2024-02-01,3\n', { sku: ['store', 'item'], attributes: ['region', 'channel'] });
    expect(keyed.statusCode, keyed.body).toBe(201);
    const keyedWarnings = keyed.json().report.warnings.join('\n') as string;
    expect(keyedWarnings).toContain("attribute 'channel' has more than one value for some SKUs (S1 / I1: 'web' and 'shop'); the first is kept; some SKUs have lines of two channel values on one date");
    expect(keyedWarnings).not.toContain("attribute 'region'");
  });

  it('an item relabelled over time (dairy, later cheese) gets no hint to key by the category, even with a line re-sent elsewhere; days summed into months are no "lines seen twice"', async () => {
    // I1 relabelled, with two orders on one day under each label (an order export): still no hint.
    const csv = 'item,category,date,qty\nI1,dairy,2024-01-01,1\nI1,dairy,2024-01-01,1\nI1,cheese,2024-02-01,2\nI1,cheese,2024-02-01,2\nI2,frozen,2024-01-01,3\nI2,frozen,2024-01-01,3\n';
    const res = await post(csv, { sku: 'item', attributes: ['category'] });
    expect(res.statusCode, res.body).toBe(201);
    const warnings = res.json().report.warnings.join('\n') as string;
    expect(warnings).toContain("attribute 'category' has more than one value for some SKUs (I1: 'dairy' and 'cheese'); the first is kept");
    expect(warnings).not.toContain('SKU key');
    expect(warnings).toContain('3 lines fell in a (sku, period) already seen');
    let daily = 'sku,date,qty\n';
    for (let d = 1; d <= 28; d++) daily += `A,2024-02-${String(d).padStart(2, '0')},1\nA,2024-03-${String(d).padStart(2, '0')},1\n`;
    const monthly = await t.app.inject({ method: 'POST', url: '/api/datasets?createJobs=false&frequency=monthly', headers: { 'content-type': 'text/csv' }, payload: daily });
    expect(monthly.statusCode, monthly.body).toBe(201);
    expect(monthly.json().report).toMatchObject({ duplicates: 54, sameDayLines: 0 });
    expect(monthly.json().report.warnings.join('\n')).not.toContain('already seen');
    // Two stores' daily lines of one item, keyed by the item alone and summed into weeks: said, with the way out.
    let stores = 'store,item,date,qty\n';
    for (let d = 1; d <= 28; d++) for (const store of ['S1', 'S2']) stores += `${store},I1,2024-02-${String(d).padStart(2, '0')},1\n`;
    const weekly = await t.app.inject({ method: 'POST', url: `/api/datasets?createJobs=false&frequency=weekly&mapping=${encodeURIComponent(JSON.stringify({ sku: 'item', date: 'date', quantity: 'qty' }))}`, headers: { 'content-type': 'text/csv' }, payload: stores });
    expect(weekly.statusCode, weekly.body).toBe(201);
    expect(weekly.json().report.sameDayLines).toBe(28);
    expect(weekly.json().report.warnings).toContain('28 lines fell on a (sku, day) already seen and were summed into it (several orders of a day, summed as they should be, or one item in several stores: then make the store part of the SKU key)');
  });

  it('an order export keyed by store and item, each SKU ordered once a week on its own weekday, the file daily: read weekly, its partial last week is found and kept provisional (was: each SKU looked weekly, so no end was checked)', async () => {
    let csv = 'store,item,day,qty\n';
    // 2024-01-01 is a Monday; the file ends on Friday 2024-03-29, a week of five days.
    const day = (k: number) => new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);
    // Each store orders on its own weekday, and every other week once more two days later.
    for (let s = 0; s < 7; s++) {
      for (let k = s; k <= 88; k += 7) {
        csv += `S${s},I1,${day(k)},${1 + s}\n`;
        if (k % 14 === s && k + 2 <= 88) csv += `S${s},I1,${day(k + 2)},1\n`;
      }
    }
    const res = await t.app.inject({ method: 'POST', url: `/api/datasets?createJobs=false&frequency=weekly&mapping=${encodeURIComponent(JSON.stringify({ sku: ['store', 'item'], date: 'day', quantity: 'qty' }))}`, headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(201);
    const { report, datasetId } = res.json();
    expect(report.detectedFrequency).toBe('weekly'); // each SKU's own dates
    expect(report.partialPeriods).toEqual([expect.objectContaining({ edge: 'last', period: '2024-03-25', days: 5, of: 7 })]);
    const s0 = (await t.app.inject({ url: `/api/datasets/${datasetId}/skus/${encodeURIComponent('S0 / I1')}` })).json();
    expect(Object.keys(s0.provisional ?? {})).toEqual(['2024-03-25']);
  });

  it('files of whole periods whose SKUs are each dated on a day of their own are read whole, though their days together look finer: no partial end (review: months dated 1, 4, ... 28; Monday and Thursday weeks; Monday and week-ending-Sunday weeks; fiscal years)', async () => {
    const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
    const cases: Array<[string, string]> = [];
    let monthly = 'sku,date,qty\n';
    for (let s = 0; s < 10; s++) for (let m = 0; m < 12; m++) monthly += `M${s},${iso(2024, m, 1 + 3 * s)},${10 + m}\n`;
    cases.push(['monthly', monthly]);
    // 2024-01-01 is a Monday: SKUs on Mondays, on Thursdays, and (another file) on the Sunday before.
    let mondayThursday = 'sku,date,qty\n';
    let mondaySunday = 'sku,date,qty\n';
    for (let w = 0; w < 30; w++) {
      for (let s = 0; s < 3; s++) {
        mondayThursday += `W${s},${iso(2024, 0, 1 + 7 * w)},5\n` + (w < 29 ? `T${s},${iso(2024, 0, 4 + 7 * w)},5\n` : '');
        mondaySunday += `W${s},${iso(2024, 0, 1 + 7 * w)},5\nU${s},${iso(2024, 0, 7 * w)},5\n`;
      }
    }
    cases.push(['weekly', mondayThursday], ['weekly', mondaySunday]);
    let fiscal = 'sku,date,qty\n';
    for (const [sku, end] of [['Q1', '03-31'], ['Q2', '06-30'], ['Q3', '09-30'], ['Q4', '12-31']] as const) {
      for (let y = 2015; y <= 2024; y++) if (!(sku === 'Q4' && y === 2024)) fiscal += `${sku},${y}-${end},${100 + y}\n`;
    }
    cases.push(['yearly', fiscal]);
    for (const [frequency, csv] of cases) {
      const res = await t.app.inject({ method: 'POST', url: `/api/datasets?createJobs=false&frequency=${frequency}`, headers: { 'content-type': 'text/csv' }, payload: csv });
      expect(res.statusCode, res.body).toBe(201);
      const { report } = res.json();
      expect(report.partialPeriods, `${frequency}: ${report.warnings.join('; ')}`).toBeUndefined();
    }
  });

  it('a SKU with two values for an attribute keeps the first and says so; an empty key part is rejected by name', async () => {
    const csv = 'store,item,category,date,qty\nS1,I1,dairy,2024-01-01,1\nS1,I1,cheese,2024-02-01,2\nS1,,dairy,2024-03-01,3\nS1,I1,,2024-03-01,4\n';
    const res = await post(csv, { sku: ['store', 'item'], attributes: ['category'] });
    expect(res.statusCode, res.body).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.warnings.join('\n')).toContain("attribute 'category' has more than one value for some SKUs (S1 / I1: 'dairy' and 'cheese')");
    expect(report.rejected).toEqual([{ line: 4, reason: "SKU part 'item' is empty" }]);
    expect((await t.store.getSeries(datasetId, 'S1 / I1'))!.attributes).toEqual({ store: 'S1', item: 'I1', category: 'dairy' });
  });

  it('refuses a mapping that names a missing column or is the wrong shape, naming the field; nothing stored', async () => {
    const { csv } = storeItemCsv();
    const missing = await post(csv, { sku: ['store', 'shelf'] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0]).toMatchObject({ path: 'mapping.sku[1]' });
    const badAttr = await post(csv, { attributes: ['colour'] });
    expect(badAttr.json().details[0]).toMatchObject({ path: 'mapping.attributes[0]' });
    for (const [mapping, path] of [[{ sku: [] }, 'mapping.sku'], [{ attributes: 'category' }, 'mapping.attributes'], [{ sku: [0] }, 'mapping.sku'], [{ sku: [1.5] }, 'mapping.sku'], [{ skus: 'x' }, 'mapping.skus']] as const) {
      const res = await post(csv, mapping);
      expect(res.statusCode).toBe(400);
      expect(res.json().details[0].path).toBe(path);
    }
    const wide = await post('item,2024-01,2024-02\nA,1,2\n', { sku: ['item', 'x'] }, '&format=wide');
    expect(wide.statusCode).toBe(400);
    expect(wide.json().details[0].path).toBe('mapping.sku');
    expect(await t.store.listDatasets()).toEqual([]);
  });

  it('two keys that join to one name ("A / B" + "C", "A" + "B / C") are not summed as one: the later lines are refused', async () => {
    let csv = 'store,item,month,units\n';
    for (let m = 1; m <= 12; m++) csv += `A / B,C,2023-${String(m).padStart(2, '0')}-01,5\n`;
    csv += 'A,B / C,2023-03-01,100\n';
    const res = await post(csv, { sku: ['store', 'item'] });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const { datasetId, report } = res.json();
    expect(report.rejected).toEqual([{ line: 14, reason: "SKU 'A / B / C' has other parts on an earlier line (store 'A / B', here 'A')" }]);
    expect(report.rejectedReasons).toMatchObject([{ reason: 'SKU has other parts on an earlier line', count: 1 }]);
    const [series] = await t.store.getSeriesMany(datasetId);
    expect(series.original).toEqual(Array(12).fill(5));
    expect(series.attributes).toEqual({ store: 'A / B', item: 'C' });
  });
});
