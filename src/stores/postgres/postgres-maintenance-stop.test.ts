import { getEventListeners } from 'node:events';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Maintenance } from '../../queue/maintenance.js';
import { RecordingLogger } from '../../queue/testing/runner-harness.js';
import { jobs } from '../../queue/testing/store-fixtures.js';
import { openPostgresStore } from './postgres-store.js';
import { pollDatabase } from './poll-database.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/**
 * A stop while the maintenance loop's ANALYZE (refreshStatistics) or prune runs: the statement is
 * cancelled and rolled back, so the worker closes its store at once. Before, `store.close()` waited
 * for the pool's connection, that is for the ANALYZE or the DELETE to end, however long it took.
 */
const baseUrl = postgresTestUrl('PostgreSQL maintenance at a stop');

if (baseUrl) {
  describe('PostgreSQL maintenance at a stop', () => {
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

    /** Resolves once a statement of the store's pool waits for a lock. */
    const waitingOnLock = (admin: pg.Client, schema: string) => pollDatabase('a statement of the store waiting on a lock', async () =>
      ((await admin.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1`, [`skucast:${schema}`])).rowCount ?? 0) > 0);

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
      await pollDatabase("the UPDATE's row counts in the statistics views", async () => {
        const seen = await hidden();
        return seen.hide && seen.modified >= 1_000;
      });

      // Another session holds the rows the ANALYZE must update: it waits for them, as a long one runs.
      const holder = await client();
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM pg_statistic WHERE starelid = '${db.schema}.jobs'::regclass FOR UPDATE`);
      cleanups.push(async () => { await holder.query('ROLLBACK').catch(() => undefined); await holder.end(); });

      const maintenance = new Maintenance({ store, logger: new RecordingLogger(), statisticsEveryMs: 3_600_000 });
      maintenance.start();
      const refreshed = maintenance.refreshStatistics();
      await waitingOnLock(admin, db.schema); // the ANALYZE waits on the held rows
      maintenance.stop(); // the worker's first SIGTERM
      expect(await refreshed).toBe(false);
      await store.close(); // was: waited here until the holder let go
      await holder.query('ROLLBACK');
      // Nothing of the cancelled ANALYZE was written: the statistics still hide the finished jobs.
      expect((await hidden()).hide).toBe(true);
    }, 20_000);

    it('a stop cancels the prune in flight: the store closes without waiting for its DELETE, and nothing is deleted', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'prune_stop');
      cleanups.push(db.drop);
      const store = await openPostgresStore(`${db.url}&connection_limit=2`);
      cleanups.push(() => store.close());
      await store.migrate();
      const { firstId, lastId } = await store.enqueue(jobs(2, { datasetId: null }), { batchId: 'b-1', supersede: false, reuse: false });
      const admin = await client();
      cleanups.push(() => admin.end());
      // Two jobs failed 40 days ago: both due for pruning under 30 days' retention.
      await admin.query(`UPDATE ${db.schema}.jobs SET status = 'failed', error = 'x', finished_at = $1`, [Date.now() - 40 * 86_400_000]);
      // Another transaction holds one of them (an operator's requeue, say): the DELETE waits for it.
      const holder = await client();
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${db.schema}.jobs WHERE id = $1 FOR UPDATE`, [lastId]);
      cleanups.push(async () => { await holder.query('ROLLBACK').catch(() => undefined); await holder.end(); });

      const logger = new RecordingLogger();
      const maintenance = new Maintenance({ store, logger, pruneAfterMs: 30 * 86_400_000 });
      const pruned = maintenance.prune();
      await waitingOnLock(admin, db.schema);
      maintenance.stop(); // the worker's first SIGTERM
      await pruned;
      await store.close(); // was: waited here until the holder let go
      await holder.query('ROLLBACK');
      // All or nothing: the cancelled DELETE removed neither job.
      const { rows } = await admin.query(`SELECT id FROM ${db.schema}.jobs ORDER BY id`);
      expect(rows.map((r) => Number(r.id))).toEqual([firstId, lastId]);
      expect(logger.events('prune')).toEqual([]); // a cancelled prune is not a failure
    }, 20_000);

    it('leaves no listener on the signal it was given: Maintenance passes the same one to every refresh and prune', async () => {
      const db = await createPostgresTestSchema(baseUrl, 'maintenance_listeners');
      cleanups.push(db.drop);
      const store = await openPostgresStore(`${db.url}&connection_limit=2`);
      cleanups.push(() => store.close());
      await store.migrate();
      const running = new AbortController();
      for (let i = 0; i < 3; i++) {
        await store.refreshStatistics!({ signal: running.signal });
        await store.prune({ before: Date.now(), statuses: ['completed'], signal: running.signal });
      }
      // Was one per call: a day of minute rounds gathered 1,440 (and Node's leak warning).
      expect(getEventListeners(running.signal, 'abort')).toHaveLength(0);
    });
  });
}
