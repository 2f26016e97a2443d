import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Maintenance } from '../../queue/maintenance.js';
import { RecordingLogger } from '../../queue/testing/runner-harness.js';
import { jobs } from '../../queue/testing/store-fixtures.js';
import { openPostgresStore } from './postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/**
 * A stop while the maintenance loop's ANALYZE runs (refreshStatistics): the ANALYZE is cancelled
 * and rolled back, so the worker closes its store at once. Before, `store.close()` waited for the
 * pool's connection, that is for the ANALYZE to end, however long it took.
 */
const baseUrl = postgresTestUrl('PostgreSQL statistics refresh at a stop');

if (baseUrl) {
  describe('PostgreSQL statistics refresh at a stop', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });
    const client = async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    };

    it('a stop cancels the ANALYZE in flight: the store closes without waiting for it, and the statistics stay as they were', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'statistics_stop');
      cleanups.push(db.drop);
      const store = await openPostgresStore(`${db.url}&connection_limit=2`);
      cleanups.push(() => store.close());
      await store.migrate();
      // 2,500 jobs analyzed while they waited, then finished: the statistics hide them (migration 033).
      await store.enqueue(jobs(2_500, { datasetId: null }), { batchId: 'b-1', supersede: false, reuse: false });
      const admin = await client();
      cleanups.push(() => admin.end());
      await admin.query(`ANALYZE ${db.schema}.jobs`);
      await admin.query('SELECT pg_stat_force_next_flush()');
      await admin.query(`UPDATE ${db.schema}.jobs SET status = 'completed', progress = 100, finished_at = started_at`);
      const hidden = () => admin.query<{ hide: boolean; modified: number }>(
        `SELECT ${db.schema}.jobs_statistics_hide('{completed}') AS hide,
                (SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relid = '${db.schema}.jobs'::regclass) AS modified`,
      ).then((r) => r.rows[0]);
      // The UPDATE's row counts reach the statistics views when its session goes idle (forced above).
      for (let seen = await hidden(); !(seen.hide && seen.modified >= 1_000); seen = await hidden()) { /* the flush is on its way */ }

      // Another session holds the rows the ANALYZE must update: it waits for them, as a long one runs.
      const holder = await client();
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM pg_statistic WHERE starelid = '${db.schema}.jobs'::regclass FOR UPDATE`);
      cleanups.push(async () => { await holder.query('ROLLBACK').catch(() => undefined); await holder.end(); });

      const maintenance = new Maintenance({ store, logger: new RecordingLogger(), statisticsEveryMs: 3_600_000 });
      maintenance.start();
      const refreshed = maintenance.refreshStatistics();
      // The ANALYZE is waiting on the held rows.
      for (;;) {
        const { rowCount } = await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1`, [`skucast:${db.schema}`]);
        if (rowCount) break;
      }
      maintenance.stop(); // the worker's first SIGTERM
      expect(await refreshed).toBe(false);
      await store.close(); // was: waited here until the holder let go
      await holder.query('ROLLBACK');
      // Nothing of the cancelled ANALYZE was written: the statistics still hide the finished jobs.
      expect((await hidden()).hide).toBe(true);
    }, 20_000);
  });
}
