import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { bareDataset, jobs } from '../../queue/testing/store-fixtures.js';
import { loadSqlFiles } from '../sql-files.js';
import { jobFilterSql } from './job-rows.js';
import { bindNamed, compileNamed } from './named-query.js';
import { pollDatabase } from './poll-database.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/**
 * The planning cycle's bulk writes on PostgreSQL (docs/queue-measurements.md, "eleventh pass"): what a
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
      // a newer job of the same SKU, model and method in a dataset is other work: it replaces neither
      await store.enqueue(jobs(1, { datasetId: 'a', sku: 'loose' }), { batchId: 'loose-in-a' });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      expect(await store.cancel({ status: ['pending', 'running'] })).toBe(n + 4);
      const query = loadSqlFiles('postgres', 'queries').get('job-requeue')!;
      const run = async (filter: Parameters<typeof jobFilterSql>[0]) => admin(async (c) => {
        const f = jobFilterSql(filter);
        const q = compileNamed(query.replaceAll('{{filter}}', f.sql));
        await c.query('BEGIN');
        await c.query(`SET LOCAL search_path TO ${db.schema}`);
        // One row back, the count: the requeued rows (and their datasets) stay in the server.
        const result = await c.query<{ requeued: number }>(q.text, bindNamed(q, { now: Date.now(), ...f.params }));
        expect(result.rows).toHaveLength(1);
        const requeued = result.rows[0].requeued;
        const stats = await c.query<{ read: string }>(
          "SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema]);
        await c.query('COMMIT');
        return { requeued, read: Number(stats.rows[0].read) };
      });
      const dataset = await run({ datasetId: 'a', status: ['cancelled'] });
      // every job but the replaced one (the SKU's newer job is requeued in its place), and loose-in-a
      expect(dataset.requeued).toBe(n + 1);
      // the same statement moved the dataset's mark past every job id (retry_marks, 043)
      const marks = async () => admin(async (c) => (await c.query<{ dataset_id: string; mark: string }>(
        `SELECT dataset_id, mark FROM ${db.schema}.retry_marks ORDER BY dataset_id`)).rows.map((r) => [r.dataset_id, Number(r.mark)]));
      const lastId = (await store.datasetProgress('a')).lastJobId!;
      expect(await marks()).toEqual([['a', lastId + 1]]);
      // the lookups (a seek per job), not a walk per job
      expect(dataset.read).toBeLessThan(10 * n);
      expect((await store.getJob(firstId))?.status).toBe('cancelled');
      // jobs of no dataset: the older of two for one work stays, the newer and the lone one go
      expect((await run({ status: ['cancelled'] })).requeued).toBe(2);
      expect(await marks()).toEqual([['a', lastId + 1]]); // jobs of no dataset draw no mark
      const loose = await store.listJobs({ batchId: 'loose-old', limit: 10 });
      expect(loose.jobs.map((j) => j.status)).toEqual(['cancelled']);
    });

    it("a large batch for a dataset with no open job takes no supersede and no ANALYZE for it; one with open jobs still supersedes them (migrations/034_enqueue_skip_idle_supersede.sql)", async () => {
      // An append of actuals to a dataset whose jobs the workers finished: 033 analyzed jobs (its
      // batch's rows in no statistics) and probed jobs_active_work per job, to cancel nothing.
      const n = 2500;
      const db = await schema('idlesupersede');
      const store = await open(db.url);
      await store.migrate();
      await admin((c) => c.query(`ALTER TABLE ${db.schema}.jobs SET (autovacuum_enabled = false)`));
      const work = (round: number) => jobs(n, { datasetId: 'a' }).map((job, i) => ({ ...job, sku: `s${i}`, inputHash: `r${round}-${i}` }));
      await store.enqueue(work(1), { batchId: 'import' });
      for (let claimed = await store.claim({ workerId: 'w', limit: 500, leaseMs: 60_000 }); claimed.length > 0;
        claimed = await store.claim({ workerId: 'w', limit: 500, leaseMs: 60_000 })) {
        await Promise.all(claimed.map((c) => store.complete(c, { done: c.jobId })));
      }
      // another dataset's waiting job: the queue is not idle, only dataset a is
      await store.enqueue(jobs(1, { datasetId: 'b' }), { batchId: 'other' });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      const append = (round: number, lockTimeout?: string) => admin(async (c) => {
        await c.query('BEGIN');
        await c.query(`SET LOCAL search_path TO ${db.schema}`);
        if (lockTimeout) await c.query(`SET LOCAL lock_timeout = '${lockTimeout}'`);
        const before = (await c.query<{ n: number }>("SELECT reltuples::integer AS n FROM pg_class WHERE oid = 'jobs'::regclass")).rows[0].n;
        const { rows } = await c.query<{ created: string; reused: string; cancelled: string }>(
          `SELECT created, reused, cancelled FROM enqueue_jobs($1, $2, true, true, NULL, '{a}', '{3}', ARRAY[$3::integer], '{}', '{}',
             '{a}', $4::text[], '{ets}', '{grid}', '{actuals_appended}', '{3}', '{3}', '{"{}"}', $5::text[], false)`,
          [`append${round}`, Date.now(), n, work(round).map((j) => j.sku), work(round).map((j) => j.inputHash)]);
        // an ANALYZE in this transaction would count the batch's rows in already
        const after = (await c.query<{ n: number }>("SELECT reltuples::integer AS n FROM pg_class WHERE oid = 'jobs'::regclass")).rows[0].n;
        const stats = await c.query<{ fetched: string }>(
          "SELECT coalesce(idx_tup_fetch, 0) AS fetched FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema]);
        await c.query('COMMIT');
        return { created: Number(rows[0].created), cancelled: Number(rows[0].cancelled), analyzed: after !== before, fetched: Number(stats.rows[0].fetched) };
      });
      const idle = await append(2);
      expect(idle).toMatchObject({ created: n, cancelled: 0, analyzed: false });
      // the reuse lookups and the turns only: 033's supersede read the batch again and probed per job
      expect(idle.fetched).toBeLessThan(2 * n);
      // now every SKU of a has a waiting job: the next batch for the same work cancels them all
      // Those 2,500 open jobs are in no statistics: 033's ANALYZE before the supersede must still
      // come (without it the supersede read the batch's rows per job: 6 million rows, review).
      const busy = await append(3);
      expect(busy).toMatchObject({ created: n, cancelled: n, analyzed: true });
      expect(busy.fetched).toBeLessThan(20 * n);
      expect((await store.summary({ batchId: 'append2' })).cancelled).toBe(n);
      // The same while another session holds jobs' ANALYZE lock (a worker's statistics refresh):
      // 033's ANALYZE gives way (NOWAIT) and the statistics still count none of the 2,500 open
      // jobs. The supersede must not depend on them (a settings change of 20,000 SKUs while the
      // workers refreshed: 100,000 jobs superseded read for 10 minutes, then cancelled).
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`)); // append3's jobs waiting, analyzed as none
      await store.cancel({ batchId: 'append3' });
      await store.enqueue(work(4), { batchId: 'append4', supersede: false });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      await store.cancel({ batchId: 'append4' });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`)); // no open job counted
      await store.enqueue(work(5), { batchId: 'append5', supersede: false }); // 2,500 open, in no statistics
      const locked = await admin(async (holder) => {
        await holder.query('BEGIN');
        await holder.query(`LOCK TABLE ${db.schema}.jobs IN SHARE UPDATE EXCLUSIVE MODE`);
        try {
          return await append(6);
        } finally {
          await holder.query('ROLLBACK');
        }
      });
      expect(locked).toMatchObject({ created: n, cancelled: n, analyzed: false });
      expect(locked.fetched).toBeLessThan(20 * n);

      // Every job to cancel updated by another transaction after the batch's statement began (the
      // workers claiming and finishing them): READ COMMITTED rechecks each row it locks, and each
      // recheck read the batch's id list again (migrations/038 materializes it): a settings change
      // of 1,000 SKUs while the workers ran spent 94-104 s there, holding the dataset's row.
      const holder = new pg.Client({ connectionString: baseUrl });
      holder.on('error', () => undefined);
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`UPDATE ${db.schema}.jobs SET updated_at = updated_at + 1 WHERE batch_id = 'append6'`);
        const racing = append(7);
        await admin((c) => pollDatabase("the append waiting on the holder's rows", async () =>
          (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'")).rows[0].n > 0));
        await holder.query('COMMIT');
        const rechecked = await racing;
        expect(rechecked).toMatchObject({ created: n, cancelled: n });
        expect(rechecked.fetched).toBeLessThan(20 * n);
      } finally {
        await holder.end();
      }
    });
  });
} else {
  describe.skip('PostgreSQL planning-cycle bulk paths (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
