import { describe, expect, it } from 'vitest';
import { jobs } from '../../queue/testing/store-fixtures.js';
import { loadSqlFiles } from '../sql-files.js';
import { bindNamed, compileNamed } from './named-query.js';
import { datasetProgressSql, newestJobSql } from './postgres-planning-cycle.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/** The plans of the hot reads on PostgreSQL: the index each must use, whatever the statistics say. */
const baseUrl = postgresTestUrl('PostgreSQL query plans');

if (baseUrl) {
  describe('PostgreSQL query plans', () => {
    const { schema, open, admin } = postgresTestHarness(baseUrl);

    it('the claim index carries run_at (INCLUDE), keeping the claim order (priority, turn, id)', async () => {
      const db = await schema('claimidx');
      await (await open(db.url)).migrate();
      const def = await admin((c) => c.query<{ indexdef: string }>(
        'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [db.schema, 'jobs_claim']));
      expect(def.rows[0]?.indexdef).toMatch(/\(priority, turn, id\) INCLUDE \(run_at\) WHERE/);
    });

    /** A schema whose 400 jobs were analyzed while all pending (as after a large enqueue) and have all completed since. */
    async function drainedAfterPendingStatistics(name: string) {
      const db = await schema(name);
      const store = await open(db.url);
      await store.migrate();
      await store.enqueue(jobs(400), { batchId: 'b' });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      for (let claimed = await store.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 }); claimed.length > 0;
        claimed = await store.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 })) {
        await Promise.all(claimed.map((c) => store.complete(c, null)));
      }
      return { db, store };
    }

    it('claimable() reads the claim index even when the statistics were taken with every job pending and all have finished since', async () => {
      // As after a large enqueue (the store analyzes then) that the workers have drained since:
      // the planner expects most rows pending, and an idle worker's backstop poll must still not
      // read the table past every finished job.
      const { db, store } = await drainedAfterPendingStatistics('claimable');
      expect(await store.claimable()).toBe(false);
      const query = compileNamed(loadSqlFiles('postgres', 'queries').get('job-claimable')!);
      const plan = await admin(async (c) => {
        await c.query(`SET search_path TO ${db.schema}`);
        return JSON.stringify((await c.query(`EXPLAIN (FORMAT JSON) ${query.text}`, [Date.now()])).rows[0]);
      });
      expect(plan).toContain('"Index Name":"jobs_claim"');
      expect(plan).not.toContain('Seq Scan');
    });

    it("datasetProgress's open-jobs check reads no table from the start after every job of the dataset finished", async () => {
      // The same statistics as above; a worker asks this after each job it settles.
      const { db } = await drainedAfterPendingStatistics('progress');
      const query = compileNamed(datasetProgressSql);
      const scans = await admin(async (c) => {
        await c.query('BEGIN');
        await c.query(`SET LOCAL search_path TO ${db.schema}`);
        await c.query(query.text, bindNamed(query, { datasetId: jobs(1)[0].datasetId }));
        // this transaction's own counts: no waiting for the statistics to be flushed
        const { rows } = await c.query<{ seq_scan: string }>("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema]);
        // the function's SET ends with its call: the caller's (pooled) connection keeps its setting
        const after = (await c.query<{ v: string }>("SELECT current_setting('enable_seqscan') AS v")).rows[0].v;
        await c.query('COMMIT');
        return { seqScans: Number(rows[0].seq_scan), enableSeqscanAfter: after };
      });
      expect(scans).toEqual({ seqScans: 0, enableSeqscanAfter: 'on' });
    });

    it("a dataset's newest job is read through jobs_dataset_newest, not by walking the primary key past other datasets' newer jobs", async () => {
      // An older dataset behind a newer one of the same size: max(id) WHERE dataset_id = $1 was
      // planned as a backward walk of jobs_pkey, filtering out every job of the newer dataset.
      const db = await schema('newest');
      const store = await open(db.url);
      await store.migrate();
      await store.enqueue(jobs(2000, { datasetId: 'old' }), { batchId: 'a' });
      await store.enqueue(jobs(2000, { datasetId: 'new' }), { batchId: 'b' });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      const query = compileNamed(newestJobSql);
      const { plan, generic, newest } = await admin(async (c) => {
        await c.query(`SET search_path TO ${db.schema}`);
        const explained = JSON.stringify((await c.query(`EXPLAIN (FORMAT JSON) ${query.text}`, bindNamed(query, { datasetId: 'old' }))).rows[0]);
        const row = (await c.query<{ id: string }>(query.text, bindNamed(query, { datasetId: 'old' }))).rows[0];
        const max = (await c.query<{ id: string }>("SELECT max(id) AS id FROM jobs WHERE dataset_id = 'old'")).rows[0];
        // The store runs it as a named prepared statement: after five calls PostgreSQL may keep a generic plan.
        await c.query(`PREPARE newest_generic(text) AS ${query.text}`);
        await c.query('SET plan_cache_mode = force_generic_plan');
        const generic = JSON.stringify((await c.query("EXPLAIN (FORMAT JSON) EXECUTE newest_generic('old')")).rows[0]);
        return { plan: explained, generic, newest: [row.id, max.id] };
      });
      for (const p of [plan, generic]) {
        expect(p).toContain('"Index Name":"jobs_dataset_newest"');
        expect(p).not.toContain('jobs_pkey');
      }
      expect(newest[0]).toBe(newest[1]);
      expect((await store.datasetProgress('old')).lastJobId).toBe(Number(newest[1]));
    });
  });
} else {
  describe.skip('PostgreSQL query plans (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
