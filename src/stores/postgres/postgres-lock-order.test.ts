import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSettings, ImportReport } from '../../datasets/dataset.js';
import { openPostgresStore } from './postgres-store.js';
import { pollDatabase } from './poll-database.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/**
 * Lock order on PostgreSQL: every dataset write (appendActuals, saveSnapshot, deleteSnapshot, deleteDataset,
 * updateSettings, updateSeries) takes the dataset's row before its series rows. One that took a
 * series row first and then waited for the dataset's row would deadlock with an append of the
 * same SKU (which holds the dataset's row and then updates the series).
 */
const baseUrl = postgresTestUrl('PostgreSQL lock order');

const settings: DatasetSettings = {
  horizon: 3, holdout: 2, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const report: ImportReport = {
  rows: 4, skus: 1, dateRange: { start: '2024-01-01', end: '2024-04-01' }, frequency: 'monthly', format: 'long',
  rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [],
};

if (baseUrl) {
  describe('PostgreSQL lock order', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    it('updateSeries waits for the dataset row before it locks a series row (no deadlock with an append)', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'lockorder');
      cleanups.push(db.drop);
      const store = await openPostgresStore(db.url);
      cleanups.push(() => store.close());
      await store.migrate();
      await store.createDataset({ id: 'd', name: 'd', frequency: 'monthly', settings, report }, [{
        sku: 'A', dates: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], original: [1, 2, 3, 4], edits: {},
        length: 4, volume: 10, demandClass: 'smooth',
      }], null, null);

      // An append's first step, held open: the dataset's row locked.
      const append = new pg.Client({ connectionString: baseUrl, application_name: 'lock-order-append' });
      await append.connect();
      cleanups.push(() => append.end());
      await append.query(`SET search_path TO ${db.schema}`);
      await append.query('BEGIN');
      await append.query(`SELECT id FROM datasets WHERE id = 'd' FOR UPDATE`);

      const edit = store.updateSeries('d', [{ sku: 'A', edits: { 1: 9 }, volume: 17, demandClass: 'smooth' }], null, null);
      const blocked = async () => {
        const { rows } = await append.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()`);
        return rows[0].n > 0;
      };
      // Polled until the store's connection is seen waiting on a lock; fails saying so if it never is.
      await pollDatabase('updateSeries waiting for the dataset row', blocked);

      // The append's next step: the series row. updateSeries must not hold it while it waits.
      await expect(append.query(`SELECT sku FROM series WHERE dataset_id = 'd' AND sku = 'A' FOR UPDATE NOWAIT`)).resolves.toMatchObject({ rowCount: 1 });
      await append.query('COMMIT');
      await edit;
      expect((await store.getSeries('d', 'A'))!.edits).toEqual({ 1: 9 });
    });
  });
} else {
  // Without PostgreSQL the file still has a suite (vitest fails a file with none); postgresTestUrl printed why.
  describe.skip('PostgreSQL lock order', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
