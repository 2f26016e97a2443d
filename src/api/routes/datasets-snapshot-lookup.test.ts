import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiAppOn } from '../../../tests/support/api-test-app.js';
import { runRawSql } from '../../../tests/support/raw-sql.js';
import { storeKinds, type TestDatabase } from '../../../tests/support/test-database.js';
import type { Store } from '../../stores/store.js';
import { datasetWithEdits, listSnapshots, type SnapshotRow } from './imported-dataset-fixture.js';

/**
 * A snapshot's name is unique within its dataset (PATCH answers 409 naming the snapshot that holds
 * it) and finds the snapshot where an id does (`?snapshot=` on accuracy, accuracy.csv, forecasts,
 * forecasts.csv), through the real app on a real SQLite file and, with DATABASE_URL, a PostgreSQL
 * schema. Duplicates named before names were unique are planted with SQL, as that version left them.
 */
describe.each(storeKinds('snapshot lookup by name'))('on %s', (kind) => {
  let store: Store;
  let db: TestDatabase;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, store, db, close } = await openApiAppOn('snapshot-lookup', kind));
  });
  afterEach(async () => close());

  const snapshots = (id: string) => listSnapshots(app, id);
  const name = (id: string, snapshotId: number, payload: unknown) =>
    app.inject({ method: 'PATCH', url: `/api/datasets/${id}/snapshots/${snapshotId}`, payload: payload as object });
  const q = (ref: string | number) => encodeURIComponent(String(ref));

  /** A dataset with three snapshots, newest first: the import's, then two edits'. */
  async function datasetWithSnapshots(): Promise<{ id: string; all: SnapshotRow[] }> {
    const id = await datasetWithEdits(app, store, 2);
    const all = await snapshots(id);
    expect(all).toHaveLength(3);
    return { id, all };
  }

  it('409 naming the snapshot that holds the name, letter case and runs of spaces aside; nothing changes; a snapshot may respell its own', async () => {
    const { id, all: [newest, middle, oldest] } = await datasetWithSnapshots();
    expect((await name(id, oldest.id, { name: 'S&OP Dec' })).statusCode).toBe(200);
    for (const same of ['S&OP Dec', '  s&op  DEC ']) {
      const res = await name(id, middle.id, { name: same });
      expect(res.statusCode, res.body).toBe(409);
      const message = `snapshot ${oldest.id} of dataset '${id}' is named "S&OP Dec": a name is unique within a dataset (letter case and runs of spaces aside); rename or clear that one first, or choose another name`;
      expect(res.json()).toEqual({ error: message, code: 'conflict_state', details: [{ path: 'name', message }], snapshotIds: [oldest.id] });
    }
    expect((await snapshots(id)).map((s) => s.name)).toEqual([null, null, 'S&OP Dec']);
    expect((await name(id, oldest.id, { name: 'S&OP DEC' })).json().snapshot).toMatchObject({ id: oldest.id, name: 'S&OP DEC' });
    // Another dataset's names are its own; a cleared name is free.
    const other = await datasetWithSnapshots();
    expect((await name(other.id, other.all[2].id, { name: 'S&OP Dec' })).statusCode).toBe(200);
    expect((await name(id, oldest.id, { name: null })).statusCode).toBe(200);
    expect((await name(id, newest.id, { name: 'S&OP Dec' })).statusCode).toBe(200);
    // Digits alone would read as an id where a snapshot is looked up: refused.
    const digits = await name(id, middle.id, { name: '2024' });
    expect(digits.statusCode, digits.body).toBe(400);
    expect(digits.json().details[0]).toMatchObject({ path: 'name' });
    expect(digits.json().details[0].message).toContain('not digits alone');
  });

  it('?snapshot= takes a name (any case, spaces trimmed): accuracy, accuracy.csv, forecasts and forecasts.csv answer for that snapshot as for its id', async () => {
    const { id, all: [, middle] } = await datasetWithSnapshots();
    expect((await name(id, middle.id, { name: 'S&OP Dec' })).statusCode).toBe(200);
    for (const ref of ['S&OP Dec', ' s&op dec ', 'S&OP  DEC']) {
      const accuracy = await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${q(ref)}` });
      expect(accuracy.statusCode, accuracy.body).toBe(200);
      expect(accuracy.json().snapshot).toMatchObject({ id: middle.id, name: 'S&OP Dec' });
    }
    const byId = await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${middle.id}` });
    expect((await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${q('S&OP Dec')}` })).json()).toEqual(byId.json());
    const csv = await app.inject({ url: `/api/datasets/${id}/accuracy.csv?snapshot=${q('S&OP Dec')}` });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`-accuracy-${middle.id}-S_OP_Dec.csv`);
    expect(csv.body).toBe((await app.inject({ url: `/api/datasets/${id}/accuracy.csv?snapshot=${middle.id}` })).body);
    const forecasts = await app.inject({ url: `/api/datasets/${id}/forecasts?snapshot=${q('s&op dec')}` });
    expect(forecasts.statusCode, forecasts.body).toBe(200);
    expect(forecasts.json()).toEqual((await app.inject({ url: `/api/datasets/${id}/forecasts?snapshot=${middle.id}` })).json());
    const forecastsCsv = await app.inject({ url: `/api/datasets/${id}/forecasts.csv?snapshot=${q('S&OP Dec')}` });
    expect(forecastsCsv.statusCode, forecastsCsv.body).toBe(200);
    expect(forecastsCsv.headers['content-disposition']).toContain(`-forecasts-${middle.id}.csv`);
  });

  it('404 naming snapshot for a name the dataset has none of (another dataset\'s included); 400 for an empty or repeated ?snapshot=', async () => {
    const { id, all: [, middle] } = await datasetWithSnapshots();
    const other = await datasetWithSnapshots();
    expect((await name(other.id, other.all[1].id, { name: 'Theirs' })).statusCode).toBe(200);
    expect((await name(id, middle.id, { name: 'S&OP Dec' })).statusCode).toBe(200);
    for (const [ref, message] of [['S&OP Jan', `no snapshot named "S&OP Jan" of dataset '${id}'`], ['Theirs', `no snapshot named "Theirs" of dataset '${id}'`]]) {
      for (const route of ['accuracy', 'accuracy.csv', 'forecasts', 'forecasts.csv']) {
        const res = await app.inject({ url: `/api/datasets/${id}/${route}?snapshot=${q(ref)}` });
        expect(res.statusCode, `${route} ${res.body}`).toBe(404);
        expect(res.json()).toEqual({ error: message, code: 'not_found', details: [{ path: 'snapshot', message }] });
      }
    }
    for (const query of ['snapshot=', 'snapshot=%20%20', `snapshot=${q('S&OP Dec')}&snapshot=${middle.id}`, 'snapshot=0']) {
      const res = await app.inject({ url: `/api/datasets/${id}/accuracy?${query}` });
      expect(res.statusCode, `${query} ${res.body}`).toBe(400);
      expect(res.json().details.map((d: { path: string }) => d.path)).toContain('snapshot');
    }
  });

  it('a name two snapshots hold (named before names were unique): 409 listing their ids, each still found by its id and listed with its name; renaming one is refused while the other holds it', async () => {
    const { id, all: [newest, middle, oldest] } = await datasetWithSnapshots();
    for (const [snapshotId, text] of [[oldest.id, 'S&OP Dec'], [middle.id, 's&op dec']] as const) {
      await runRawSql(db, 'INSERT INTO snapshot_names (snapshot_id, name) VALUES ($1, $2)', [snapshotId, text]);
    }
    expect((await snapshots(id)).map((s) => s.name)).toEqual([null, 's&op dec', 'S&OP Dec']);
    const message = `2 snapshots of dataset '${id}' are named "S&OP Dec" (${middle.id}, ${oldest.id}): give the id`;
    for (const route of ['accuracy', 'accuracy.csv', 'forecasts', 'forecasts.csv']) {
      const res = await app.inject({ url: `/api/datasets/${id}/${route}?snapshot=${q('S&OP Dec')}` });
      expect(res.statusCode, `${route} ${res.body}`).toBe(409);
      expect(res.json()).toEqual({ error: message, code: 'conflict_state', details: [{ path: 'snapshot', message }], snapshotIds: [middle.id, oldest.id] });
    }
    for (const snapshotId of [middle.id, oldest.id]) {
      expect((await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${snapshotId}` })).json().snapshot.id).toBe(snapshotId);
    }
    // A third may not take it; one of the two may keep it (it is its own), and once renamed the other is found by name.
    const third = await name(id, newest.id, { name: 'S&OP DEC' });
    expect(third.statusCode, third.body).toBe(409);
    expect(third.json().snapshotIds).toEqual([middle.id, oldest.id]);
    expect(third.json().error).toContain(`snapshots ${middle.id}, ${oldest.id} of dataset '${id}' are named "s&op dec"`);
    expect((await name(id, middle.id, { name: 'S&OP Nov' })).statusCode).toBe(200);
    const found = await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${q('S&OP Dec')}` });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().snapshot.id).toBe(oldest.id);
  });

  it('digits are an id, always: a name of digits stored before such names were refused is found by its id, and a miss says which snapshot bears it', async () => {
    const { id, all: [, middle] } = await datasetWithSnapshots();
    await runRawSql(db, 'INSERT INTO snapshot_names (snapshot_id, name) VALUES ($1, $2)', [middle.id, '999999']);
    const res = await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=999999` });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().details).toEqual([{ path: 'snapshot', message: `no snapshot 999999 of dataset '${id}' (snapshot ${middle.id} is named "999999": digits are read as an id, so give its id)` }]);
    expect((await app.inject({ url: `/api/datasets/${id}/accuracy?snapshot=${middle.id}` })).json().snapshot).toMatchObject({ id: middle.id, name: '999999' });
  });
});
