import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';
import { defaultBodyLimitBytes } from '../api-config.js';
import { buildApp } from '../app.js';
import { januaryToAugust, month2024 as month, postActuals as post } from './imported-dataset-fixture.js';

/**
 * POST /api/datasets/:id/actuals?basedOn= (the check's datasetUpdatedAt) while the dataset is
 * written during the request itself, after the route loaded it: the store compares basedOn in the
 * write's transaction, so the append is refused (409 conflict_state naming basedOn, nothing stored),
 * not merged again with the dataset as it is now. An applied append answers the datasetUpdatedAt
 * after its write. On SQLite and, with DATABASE_URL, PostgreSQL.
 */
describe.each(storeKinds('actuals basedOn'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  const opened: FastifyInstance[] = [];
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('actuals-based-on', kind));
  });
  afterEach(async () => {
    for (const a of opened.splice(0)) await a.close();
    await close();
  });

  const dataset = () => januaryToAugust(app, store);

  /** An app over the store whose first getSeriesMany (the merge's read, after the file was parsed) runs `before` first. */
  async function appWritingDuringTheMerge(before: () => Promise<unknown>): Promise<FastifyInstance> {
    let armed = true;
    const racing = new Proxy(store, {
      get(target, prop) {
        const v = Reflect.get(target, prop) as unknown;
        if (prop === 'getSeriesMany') {
          return async (...args: Parameters<Store['getSeriesMany']>) => {
            if (armed) {
              armed = false;
              await before();
            }
            return target.getSeriesMany(...args);
          };
        }
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Store;
    const on = await buildApp({ store: racing, logger: pino({ level: 'silent' }), config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes } });
    opened.push(on);
    return on;
  }

  it('an edit that lands while the file is read and merged refuses the append sent with basedOn: 409 naming basedOn, nothing stored, the edit kept', async () => {
    const id = await dataset();
    const file = `sku,date,sales\nA,${month(8)},30\n`;
    const check = await post(app, id, '?dryRun', file);
    expect(check.statusCode, check.body).toBe(200);
    const basedOn = check.json().datasetUpdatedAt as number;
    const racing = await appWritingDuringTheMerge(async () => {
      const b = (await store.getSeries(id, 'B'))!;
      await store.updateSeries(id, [{ sku: 'B', edits: { 2: 99 }, volume: b.volume, demandClass: b.demandClass, seen: b.updatedAt }], null, null);
    });
    const res = await post(racing, id, `?basedOn=${basedOn}`, file);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict_state', details: [expect.objectContaining({ path: 'basedOn' })] });
    expect(res.json().error).toMatch(/changed since the check; check the file again/);
    expect((await store.getSeries(id, 'A'))!.dates.at(-1)).toBe(month(7));
    expect((await store.getSeries(id, 'B'))!.edits).toEqual({ 2: 99 });
    expect(await store.listActuals(id)).toEqual([]);
  });

  it('a check (dryRun) sent with basedOn is a 400 naming basedOn, not a check that ignores it', async () => {
    const id = await dataset();
    const before = (await store.getDataset(id))!.updatedAt;
    const res = await post(app, id, `?dryRun&basedOn=${before}`, `sku,date,sales\nA,${month(8)},30\n`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'basedOn' })] });
    expect(await store.listActuals(id)).toEqual([]);
  });

  it('an applied append answers the datasetUpdatedAt after its write: a script that chains it into the next append\'s basedOn is not refused', async () => {
    const id = await dataset();
    const first = await post(app, id, '', `sku,date,sales\nA,${month(8)},30\n`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().datasetUpdatedAt).toBe((await store.getDataset(id))!.updatedAt);
    const next = await post(app, id, `?basedOn=${first.json().datasetUpdatedAt}`, `sku,date,sales\nA,${month(9)},31\n`);
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().datasetUpdatedAt).toBe((await store.getDataset(id))!.updatedAt);
    // One that changed nothing answers the value it merged with, which is the dataset's still.
    const same = await post(app, id, `?basedOn=${next.json().datasetUpdatedAt}`, `sku,date,sales\nA,${month(9)},31\n`);
    expect(same.json()).toMatchObject({ skusChanged: 0, datasetUpdatedAt: (await store.getDataset(id))!.updatedAt });
  });
});
