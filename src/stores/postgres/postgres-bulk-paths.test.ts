import { describe, expect, it } from 'vitest';
import { bareDataset, jobs } from '../../queue/testing/store-fixtures.js';
import { loadSqlFiles } from '../sql-files.js';
import { jobFilterSql } from './job-rows.js';
import { bindNamed, compileNamed } from './named-query.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/**
 * The planning cycle's bulk writes on PostgreSQL (docs/deploy.md, "eleventh pass"): what a
 * planner's click on a dataset of many SKUs costs the database, counted in rows read (the
 * transaction's own pg_stat_xact_user_tables), never in time.
 */
const baseUrl = postgresTestUrl('PostgreSQL planning-cycle bulk paths');

if (baseUrl) {
  describe('PostgreSQL planning-cycle bulk paths', () => {
    const { schema, open, admin } = postgresTestHarness(baseUrl);

    it('a retry of every cancelled job of a dataset reads a few rows a job, under statistics that counted none of them cancelled (job-requeue.sql)', async () => {
      // The jobs were analyzed while they waited, then cancelled (POST /api/jobs/cancel): the
      // planner expects no cancelled job. With the newer-job check as IS NOT DISTINCT FROM it
      // walked jobs_pkey past every newer job, for each job requeued (2,500 jobs: 3 million rows).
      const n = 2500;
      const db = await schema('requeue');
      const store = await open(db.url);
      await store.migrate();
      await admin((c) => c.query(`ALTER TABLE ${db.schema}.jobs SET (autovacuum_enabled = false)`));
      await bareDataset(store, 'a');
      const firstId = (await store.enqueue(jobs(n, { datasetId: 'a' }), { batchId: 'a' })).firstId!;
      // one SKU enqueued again: its first job is replaced, and must stay cancelled
      await store.enqueue(jobs(1, { datasetId: 'a', sku: (await store.getJob(firstId))!.sku }), { batchId: 'again' });
      // and a job of no dataset beside a newer one of the same work, and one alone
      await store.enqueue(jobs(1, { datasetId: null, sku: 'loose' }), { batchId: 'loose-old', supersede: false });
      await store.enqueue(jobs(1, { datasetId: null, sku: 'loose' }), { batchId: 'loose-new', supersede: false });
      await store.enqueue(jobs(1, { datasetId: null, sku: 'alone' }), { batchId: 'alone', supersede: false });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      expect(await store.cancel({ status: ['pending', 'running'] })).toBe(n + 3);
      const query = loadSqlFiles('postgres', 'queries').get('job-requeue')!;
      const run = async (filter: Parameters<typeof jobFilterSql>[0]) => admin(async (c) => {
        const f = jobFilterSql(filter);
        const q = compileNamed(query.replaceAll('{{filter}}', f.sql));
        await c.query('BEGIN');
        await c.query(`SET LOCAL search_path TO ${db.schema}`);
        const requeued = (await c.query(q.text, bindNamed(q, { now: Date.now(), ...f.params }))).rowCount;
        const stats = await c.query<{ read: string }>(
          "SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema]);
        await c.query('COMMIT');
        return { requeued, read: Number(stats.rows[0].read) };
      });
      const dataset = await run({ datasetId: 'a', status: ['cancelled'] });
      // every job but the replaced one: the SKU's newer job is requeued in its place
      expect(dataset.requeued).toBe(n);
      // the lookups (a seek per job), not a walk per job
      expect(dataset.read).toBeLessThan(10 * n);
      expect((await store.getJob(firstId))?.status).toBe('cancelled');
      // jobs of no dataset: the older of two for one work stays, the newer and the lone one go
      expect((await run({ status: ['cancelled'] })).requeued).toBe(2);
      const loose = await store.listJobs({ batchId: 'loose-old', limit: 10 });
      expect(loose.jobs.map((j) => j.status)).toEqual(['cancelled']);
    });
  });
} else {
  describe.skip('PostgreSQL planning-cycle bulk paths (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
