import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSettings, NewSeries } from '../../datasets/dataset.js';
import { newJob } from '../../queue/testing/store-fixtures.js';
import { openPostgresStore } from './postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/** The settings a bulk enqueue's INSERT runs under (job-enqueue-settings.sql), on both of its paths. */
const baseUrl = postgresTestUrl('PostgreSQL enqueue settings');

const settings: DatasetSettings = {
  horizon: 12, holdout: 6, models: ['ets'], method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero',
};
const dates = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`);
const series = (sku: string): NewSeries => ({
  sku, dates, original: dates.map((_, i) => i + 1), edits: {}, length: 12, volume: 78, demandClass: 'smooth',
});

if (baseUrl) {
  describe('PostgreSQL enqueue', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    it('inserts every batch with jit off and work_mem 64MB: a plain enqueue and a new dataset\'s jobs (inserted before the enqueue lock) alike', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'enqueue_settings');
      cleanups.push(db.drop);
      const store = await openPostgresStore(`${db.url}&connection_limit=2`);
      cleanups.push(() => store.close());
      await store.migrate();
      // A statement trigger that writes down the settings each INSERT into jobs ran under.
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      cleanups.push(() => admin.end());
      await admin.query(`
        CREATE TABLE ${db.schema}.insert_settings (jit text, work_mem text);
        CREATE FUNCTION ${db.schema}.note_insert_settings() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
          INSERT INTO ${db.schema}.insert_settings VALUES (current_setting('jit'), current_setting('work_mem'));
          RETURN NULL;
        END $$;
        CREATE TRIGGER note_insert_settings AFTER INSERT ON ${db.schema}.jobs
          FOR EACH STATEMENT EXECUTE FUNCTION ${db.schema}.note_insert_settings();`);

      await store.enqueue([newJob({ sku: 'A' }), newJob({ sku: 'B' })], { batchId: 'plain' });
      await store.createDataset({ id: 'ds', name: 'ds', frequency: 'monthly', settings, report: null as never }, [series('S1')],
        [newJob({ datasetId: 'ds', sku: 'S1' })], { batchId: 'import' });
      const noted = await admin.query(`SELECT jit, work_mem FROM ${db.schema}.insert_settings`);
      expect(noted.rows).toEqual([{ jit: 'off', work_mem: '64MB' }, { jit: 'off', work_mem: '64MB' }]);
    });
  });
} else {
  describe('PostgreSQL enqueue', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
