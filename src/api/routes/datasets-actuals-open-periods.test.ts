import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';
import { januaryToAugust, month2024 as month, postActuals } from './imported-dataset-fixture.js';

/**
 * POST /api/datasets/:id/actuals over several appends (fillGaps=zero, the default), on SQLite and,
 * with DATABASE_URL, PostgreSQL: a period one append left without a value for a rejected line stays
 * so after the next append, which says nothing of it; the periods a file adds are those of its
 * lines, not the 0s absentSkus=zero guesses (revised.onlyHistory).
 */
describe.each(storeKinds('actuals open periods'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('actuals-open', kind));
  });
  afterEach(async () => close());

  const post = (id: string, query: string, payload: string) => postActuals(app, id, query, payload);
  const dataset = () => januaryToAugust(app, store);

  it('a period left open for a rejected line is not given 0 by the next append, which has no line for it', async () => {
    const id = await dataset();
    // September's line of A was rejected (quantity abc): left without a value, said so.
    const first = await post(id, '', `sku,date,sales\nA,${month(8)},abc\nA,${month(9)},30\nB,${month(8)},5\nB,${month(9)},6\n`);
    expect(first.statusCode, first.body).toBe(200);
    expect((first.json().report.warnings as string[]).join('\n')).toMatch(/not filled with 0/);
    expect((await store.getSeries(id, 'A'))!.dates).not.toContain(month(8));
    // November's ordinary file: nothing of September.
    const second = await post(id, '', `sku,date,sales\nA,${month(10)},31\nB,${month(10)},7\n`);
    expect(second.statusCode, second.body).toBe(200);
    const a = (await store.getSeries(id, 'A'))!;
    expect(a.dates).not.toContain(month(8));
    expect(a.dates.slice(-3)).toEqual([month(7), month(9), month(10)]);
    expect(second.json().periodsAdded).toBe(2);
    expect((second.json().report.warnings as string[]).join('\n')).not.toMatch(/filled with 0/);
    // A line for it fills it.
    const third = await post(id, '', `sku,date,sales\nA,${month(8)},12\n`);
    expect(third.statusCode, third.body).toBe(200);
    expect((await store.getSeries(id, 'A'))!.dates.slice(-4)).toEqual([month(7), month(8), month(9), month(10)]);
  });

  it('an old full-history export with absentSkus=zero still says it only rewrites history when its guessed 0s (a SKU whose lines stop early, an absent SKU) fall after their stored ends', async () => {
    const id = await dataset();
    // C and D stopped after May: the dataset runs to August, their histories to May.
    let csv = 'sku,date,sales\n';
    for (const sku of ['C', 'D']) for (let k = 0; k < 5; k++) csv += `${sku},${month(k)},${3 + k}\n`;
    expect((await post(id, '', csv)).statusCode).toBe(200);
    // The export of January to August picked by mistake: A and B restated, C's lines stop in March, D has none.
    let old = 'sku,date,sales\n';
    for (const sku of ['A', 'B']) for (let k = 0; k < 8; k++) old += `${sku},${month(k)},${20 + k}\n`;
    for (let k = 0; k < 3; k++) old += `C,${month(k)},${3 + k}\n`;
    const res = await post(id, '?dryRun&absentSkus=zero', old);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.absent).toMatchObject({ skus: ['D'], zeroed: 1 });
    expect(out.revised).toMatchObject({ skus: 2, earliest: month(0), onlyHistory: true });
    expect((out.report.warnings as string[]).join('\n')).toMatch(/the file adds no new period to the dataset's SKUs and revises 16 stored values of 2 SKUs/);
  });
});
