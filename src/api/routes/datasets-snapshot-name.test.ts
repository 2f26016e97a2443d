import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { storeKinds } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';
import { datasetWithEdits, listSnapshots, type SnapshotRow } from './imported-dataset-fixture.js';

/**
 * PATCH /api/datasets/:id/snapshots/:snapshotId names a snapshot kept ("S&OP Dec"), through the real
 * app on a real SQLite file and, with DATABASE_URL, a PostgreSQL schema; snapshots are taken by the
 * reads (no worker). Naming takes no snapshot: one per (dataset, mark) stays the rule.
 */
describe.each(storeKinds('snapshot names'))('on %s', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, close } = await openApiAppOn('snapshot-name', kind));
  });
  afterEach(async () => close());

  const snapshots = (id: string) => listSnapshots(app, id);
  const name = (id: string, snapshotId: number | string, payload: unknown) =>
    app.inject({ method: 'PATCH', url: `/api/datasets/${id}/snapshots/${snapshotId}`, payload: payload as object });

  /** A dataset with two snapshots, newest first: the import's, then an edit's. */
  async function datasetWithTwoSnapshots(): Promise<{ id: string; newer: SnapshotRow; older: SnapshotRow }> {
    const id = await datasetWithEdits(app, store, 1);
    const [newer, older] = await snapshots(id);
    return { id, newer, older };
  }

  it('names a snapshot (trimmed), answers {snapshot}; the list, one snapshot\'s accuracy and the DELETE say the name; null clears it', async () => {
    const { id, newer, older } = await datasetWithTwoSnapshots();
    expect(older.name).toBeNull();
    const res = await name(id, older.id, { name: '  S&OP Dec  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().snapshot).toMatchObject({ id: older.id, name: 'S&OP Dec' });
    expect((await snapshots(id)).map((s) => [s.id, s.name])).toEqual([[newer.id, null], [older.id, 'S&OP Dec']]);
    const accuracy = await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${older.id}` });
    expect(accuracy.statusCode, accuracy.body).toBe(200);
    expect(accuracy.json().snapshot).toMatchObject({ id: older.id, name: 'S&OP Dec' });
    // accuracy.csv's file name carries the name after the number, its blank made "_" (planner walkthrough, finding 8).
    const file = await app.inject({ url: `/api/datasets/${id}/accuracy.csv?snapshot=${older.id}` });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-disposition']).toMatch(new RegExp(`filename\\*=UTF-8''[^;]*-accuracy-${older.id}-S%26OP_Dec\\.csv$`));
    // The newest can be named too, and cleared with null.
    expect((await name(id, newer.id, { name: 'x'.repeat(120) })).json().snapshot.name).toBe('x'.repeat(120));
    const cleared = await name(id, newer.id, { name: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().snapshot).toMatchObject({ id: newer.id, name: null });
    // A named snapshot is deleted like any other; the answer says its name.
    const removed = await app.inject({ method: 'DELETE', url: `/api/datasets/${id}/snapshots/${older.id}` });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ deleted: { id: older.id, bytes: older.bytes, name: 'S&OP Dec' } });
    expect((await snapshots(id)).map((s) => s.id)).toEqual([newer.id]);
  });

  it('400 naming name for an empty (after trimming) or too long name, or a missing one; 400 for an unknown field; nothing changes', async () => {
    const { id, older } = await datasetWithTwoSnapshots();
    // A control character would act in an operator's terminal (skucast snapshots list); 121 emoji are 121 characters, as the databases count.
    for (const payload of [{ name: '   ' }, { name: '' }, { name: 'x'.repeat(121) }, {}, { name: 3 }, { name: 'S&OP\u001b[2JDec' }, { name: 'two\nlines' }, { name: '\u{1F4C8}'.repeat(121) }]) {
      const res = await name(id, older.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().code).toBe('invalid_request');
      expect(res.json().details.map((d: { path: string }) => d.path), res.body).toContain('name');
    }
    const extra = await name(id, older.id, { name: 'ok', label: 'no' });
    expect(extra.statusCode, extra.body).toBe(400);
    expect(extra.json().code).toBe('invalid_request');
    expect(extra.body).toContain('label');
    expect((await snapshots(id)).map((s) => s.name)).toEqual([null, null]);
    // 120 emoji are 120 characters: taken (JavaScript's length says 240).
    expect((await name(id, older.id, { name: '\u{1F4C8}'.repeat(120) })).statusCode).toBe(200);
  });

  it('404 naming snapshotId for an unknown id or another dataset\'s snapshot, 404 naming id for an unknown dataset; naming takes no snapshot', async () => {
    const { id, newer, older } = await datasetWithTwoSnapshots();
    const other = await datasetWithTwoSnapshots();
    for (const [dataset, snapshotId] of [[id, newer.id + 1000], [other.id, older.id]] as const) {
      const res = await name(dataset, snapshotId, { name: 'S&OP Dec' });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('not_found');
      expect(res.json().details).toEqual([{ path: 'snapshotId', message: `no snapshot ${snapshotId} of dataset '${dataset}'` }]);
    }
    const unknown = await name('no-such-dataset', older.id, { name: 'S&OP Dec' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().details[0].path).toBe('id');
    expect((await snapshots(id)).map((s) => [s.id, s.name])).toEqual([[newer.id, null], [older.id, null]]);
    expect((await snapshots(other.id)).map((s) => s.name)).toEqual([null, null]);
  });
});
