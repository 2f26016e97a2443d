import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';
import { datasetWithEdits, listSnapshots, twoSkuHistory, type SnapshotRow } from './imported-dataset-fixture.js';

/** DELETE /api/datasets/:id/snapshots/:snapshotId against the real app, a real SQLite file and the real engine. */
let t: ApiTestApp;
beforeEach(async () => {
  t = await openApiTestApp();
});
afterEach(async () => {
  await t.close();
});

const snapshots = (id: string) => listSnapshots(t.app, id);
const remove = (id: string, snapshotId: number | string) => t.app.inject({ method: 'DELETE', url: `/api/datasets/${id}/snapshots/${snapshotId}` });

/** A dataset with two snapshots, newest first: the import's, then an edit's. */
async function datasetWithTwoSnapshots(): Promise<{ id: string; newer: SnapshotRow; older: SnapshotRow }> {
  const id = await datasetWithEdits(t.app, t.store, 1);
  const [newer, older] = await snapshots(id);
  expect([newer.cause, older.cause]).toEqual(['edits', 'import']);
  return { id, newer, older };
}

describe('DELETE /api/datasets/:id/snapshots/:snapshotId', () => {
  it('deletes an older snapshot and its forecasts, answering its id and bytes; a second delete is a 404 naming snapshotId', async () => {
    const { id, newer, older } = await datasetWithTwoSnapshots();
    const res = await remove(id, older.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ deleted: { id: older.id, bytes: older.bytes, name: null } });
    expect(older.bytes).toBeGreaterThan(0);
    expect((await snapshots(id)).map((s) => s.id)).toEqual([newer.id]);
    const forecasts = await t.app.inject({ url: `/api/datasets/${id}/forecasts?snapshot=${older.id}` });
    expect(forecasts.statusCode).toBe(404);
    expect(await t.store.snapshotItems(older.id)).toEqual([]);
    const again = await remove(id, older.id);
    expect(again.statusCode).toBe(404);
    expect(again.json().details).toEqual([{ path: 'snapshotId', message: `no snapshot ${older.id} of dataset '${id}'` }]);
  });

  it('the OpenAPI document says the deleted id and bytes are integers (was: number)', async () => {
    type Schema = { type?: string; properties?: Record<string, Schema> };
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: Schema }> }> }>>;
    };
    const answer = doc.paths['/api/datasets/{id}/snapshots/{snapshotId}'].delete.responses['200'].content['application/json'].schema;
    const deleted = answer.properties!.deleted.properties!;
    expect([deleted.id.type, deleted.bytes.type]).toEqual(['integer', 'integer']);
  });

  it('refuses the newest snapshot with a 409 naming snapshotId and saying why; it stays, and no snapshot is taken again', async () => {
    const { id, newer, older } = await datasetWithTwoSnapshots();
    const res = await remove(id, newer.id);
    expect(res.statusCode, res.body).toBe(409);
    const body = res.json();
    expect(body.details[0].path).toBe('snapshotId');
    expect(body.error).toMatch(/newest.*snapshot mark.*taken again/);
    expect((await snapshots(id)).map((s) => s.id)).toEqual([newer.id, older.id]);
  });

  it('404 naming id for an unknown dataset, 404 naming snapshotId for another dataset\'s snapshot, 400 naming snapshotId for one that is no id', async () => {
    const { id, older } = await datasetWithTwoSnapshots();
    const other = await t.app.inject({ method: 'POST', url: '/api/datasets?models=seasonal_naive', headers: { 'content-type': 'text/csv' }, payload: twoSkuHistory() });
    const otherId = other.json().datasetId as string;

    const unknown = await remove('no-such-dataset', older.id);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().details[0].path).toBe('id');
    const elsewhere = await remove(otherId, older.id);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().details[0].path).toBe('snapshotId');
    for (const bad of ['abc', '0', '1.5', '99999999999999999999']) {
      const res = await remove(id, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().details[0].path).toBe('snapshotId');
    }
    expect(await snapshots(id)).toHaveLength(2);
  });
});

describe('a read racing a delete', () => {
  it.each(['forecasts', 'accuracy'])('%s?snapshot=ID of a snapshot deleted between its lookup and its items is a 404 naming snapshot, not a 200 with nothing in it (was: every SKU none, or no points)', async (route) => {
    const { id, older } = await datasetWithTwoSnapshots();
    // The delete lands between the route's getSnapshot and its read of the items.
    const read = t.store.snapshotItems.bind(t.store);
    vi.spyOn(t.store, 'snapshotItems').mockImplementationOnce(async (snapshotId, skus) => {
      expect(await t.store.deleteSnapshot(id, snapshotId)).toMatchObject({ outcome: 'deleted' });
      return read(snapshotId, skus);
    });
    const res = await t.app.inject({ url: `/api/datasets/${id}/${route}?snapshot=${older.id}` });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().details).toEqual([{ path: 'snapshot', message: `no snapshot ${older.id} of dataset '${id}' (deleted while it was read)` }]);
  });
});
