import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSettings, ImportReport } from '../../datasets/dataset.js';
import type { Snapshot } from '../../datasets/planning-cycle-store.js';
import { encodeSnapshotValues } from '../../datasets/snapshot-values.js';
import { newJob } from '../../queue/testing/store-fixtures.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './postgres-store.js';
import { pollDatabase } from './poll-database.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/**
 * Snapshot names racing on PostgreSQL, made deterministic (River review #6, #10): a third connection
 * holds the dataset's row, the store calls queue behind it in a known order (each seen waiting in
 * pg_locks before the next starts), and the holder lets go. The conformance suite's race case runs
 * free (and on SQLite cannot interleave at all); these cannot miss the window.
 */
const baseUrl = postgresTestUrl('PostgreSQL snapshot name races');

const settings: DatasetSettings = {
  horizon: 3, holdout: 2, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const report: ImportReport = {
  rows: 4, skus: 1, dateRange: { start: '2024-01-01', end: '2024-04-01' }, frequency: 'monthly', format: 'long',
  rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
};
const mean = [1, 2, 3];
const items = [{ sku: 'A', modelId: 'ets', selectedBy: 'metric' as const, error: 1, dates: ['2024-05-01', '2024-06-01', '2024-07-01'],
  values: encodeSnapshotValues({ mean, lower80: null, upper80: null, lower95: null, upper95: null }) }];

if (baseUrl) {
  describe('PostgreSQL snapshot name races', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    /** Two stores (two instances) on a schema with dataset 'd' and three snapshots, and a client holding the dataset's row. */
    async function setUp(prefix: string) {
      const db = await createPostgresTestSchema(baseUrl!, prefix);
      cleanups.push(db.drop);
      const store = await openPostgresStore(db.url);
      cleanups.push(() => store.close());
      await store.migrate();
      const other = await openPostgresStore(db.url);
      cleanups.push(() => other.close());
      await store.createDataset({ id: 'd', name: 'd', frequency: 'monthly', settings, report }, [{
        sku: 'A', dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], original: [1, 2, 3, 4], edits: {},
        length: 4, volume: 10, demandClass: 'smooth',
      }], null, null);
      const snapshots: Snapshot[] = [];
      for (let k = 0; k < 3; k++) {
        const { lastId } = await store.enqueue([newJob({ datasetId: 'd', sku: 'A' })], { batchId: `b${k}`, reuse: false });
        for (const c of await store.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })) await store.complete(c, { ok: true });
        snapshots.push((await store.saveSnapshot({
          datasetId: 'd', mark: lastId!, cause: 'manual', historyEnd: '2024-04-01', forecastStart: '2024-05-01', forecastEnd: '2024-07-01',
          skuCount: 1, skusWithForecast: 1, portfolio: { wape: 10, bias: 0 },
        }, items))!);
      }
      const holder = new pg.Client({ connectionString: baseUrl!, application_name: 'snapshot-name-race-holder' });
      holder.on('error', () => undefined);
      await holder.connect();
      cleanups.push(() => holder.end());
      await holder.query(`SET search_path TO ${db.schema}`);
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM datasets WHERE id = 'd' FOR NO KEY UPDATE`);
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      // The first in line waits for the holder's transaction, the ones behind it for the row's tuple lock.
      const waiting = async () => (await holder.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM pg_locks
         WHERE NOT granted
           AND ((locktype = 'transactionid' AND $1 = ANY (pg_blocking_pids(pid)))
             OR (locktype = 'tuple' AND relation = '${db.schema}.datasets'::regclass))`, [holderPid])).rows[0].n;
      const waitFor = (n: number, what: string) => pollDatabase(what, async () => (await waiting()) >= n, { tries: 1_000, pauseMs: 10 });
      return { store, other: other as Store, snapshots, holder, waitFor };
    }

    it('two instances naming two snapshots alike, both queued behind the dataset row: the first named, the second refused with its id', async () => {
      const { store, other, snapshots: [a, b], holder, waitFor } = await setUp('snapname_race');
      const first = store.nameSnapshot('d', a.id, 'S&OP Dec');
      await waitFor(1, 'the first naming waiting for the dataset row');
      const second = other.nameSnapshot('d', b.id, 's&op  DEC');
      await waitFor(2, 'the second naming waiting behind it');
      await holder.query('COMMIT');
      expect(await first).toMatchObject({ id: a.id, name: 'S&OP Dec' });
      expect(await second).toEqual({ taken: [{ id: a.id, name: 'S&OP Dec' }] });
      expect((await store.listSnapshots('d')).filter((s) => s.name !== null).map((s) => s.id)).toEqual([a.id]);
    });

    it('a delete by name queued behind a rename of that snapshot: refused as missing, the renamed snapshot kept', async () => {
      const { store, other, snapshots: [a], holder, waitFor } = await setUp('snapname_del');
      await holder.query('COMMIT');
      await store.nameSnapshot('d', a.id, 'S&OP Dec');
      // `skucast snapshots delete d "S&OP Dec"` has looked it up (a); a rename and the delete then queue behind a held row.
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM datasets WHERE id = 'd' FOR NO KEY UPDATE`);
      const rename = other.nameSnapshot('d', a.id, 'Keep me');
      await waitFor(1, 'the rename waiting for the dataset row');
      const remove = store.deleteSnapshot('d', a.id, { expectName: 'S&OP Dec' });
      await waitFor(2, 'the delete waiting behind it');
      await holder.query('COMMIT');
      expect(await rename).toMatchObject({ id: a.id, name: 'Keep me' });
      expect(await remove).toEqual({ outcome: 'missing' });
      expect((await store.getSnapshot('d', a.id))?.name).toBe('Keep me');
      expect((await store.snapshotItems(a.id)).map((i) => i.sku)).toEqual(['A']);
    });
  });
} else {
  describe.skip('PostgreSQL snapshot name races (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
