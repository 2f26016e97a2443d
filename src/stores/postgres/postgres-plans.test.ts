import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { bareDataset, jobs } from '../../queue/testing/store-fixtures.js';
import { loadSqlFiles } from '../sql-files.js';
import { bindNamed, compileNamed } from './named-query.js';
import { datasetProgressSql, deleteActualsRevisionsSql, newestJobSql } from './postgres-planning-cycle.js';
import { pollDatabase } from './poll-database.js';
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

    it("deleteDataset deletes a dataset's actuals revisions through actuals_revisions_dataset (035), not by reading every dataset's", async () => {
      const db = await schema('revdelete');
      const store = await open(db.url);
      await store.migrate();
      await bareDataset(store, 'd1');
      await bareDataset(store, 'd2');
      // 40 datasets of 5 appends that overwrote 200 values each, as appendActuals writes them
      await admin(async (c) => {
        await c.query(`SET search_path TO ${db.schema}`);
        await c.query(`INSERT INTO actuals (id, dataset_id, created_at, mark_before, skus_changed, skus_added, periods_added, values_revised, report)
          SELECT 'a' || d || '-' || n, 'd' || d, 0, 0, 200, 0, 0, 200, '{}' FROM generate_series(1, 40) AS d, generate_series(1, 5) AS n`);
        await c.query(`INSERT INTO actuals_revisions (actuals_id, dataset_id, sku, date, previous, value)
          SELECT a.id, a.dataset_id, 'S' || s, '2024-01-01', 1, 2 FROM actuals AS a, generate_series(1, 200) AS s`);
        await c.query('ANALYZE actuals; ANALYZE actuals_revisions');
      });
      const query = compileNamed(deleteActualsRevisionsSql);
      const plans = await admin(async (c) => {
        await c.query(`SET search_path TO ${db.schema}`);
        const custom = (await c.query(`EXPLAIN (FORMAT JSON) ${query.text}`, bindNamed(query, { datasetId: 'd1' }))).rows[0];
        // The store runs it as a named prepared statement: after five calls PostgreSQL may keep a generic plan.
        await c.query(`PREPARE revisions_generic(text) AS ${query.text}`);
        await c.query('SET plan_cache_mode = force_generic_plan');
        const generic = (await c.query("EXPLAIN (FORMAT JSON) EXECUTE revisions_generic('d1')")).rows[0];
        return [custom, generic];
      });
      for (const plan of plans) {
        const scans: string[] = [];
        const walk = (node: { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: unknown[] }) => {
          if (node['Relation Name'] === 'actuals_revisions') scans.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
          for (const child of node.Plans ?? []) walk(child as typeof node);
        };
        walk((plan as { 'QUERY PLAN': Array<{ Plan: Parameters<typeof walk>[0] }> })['QUERY PLAN'][0].Plan);
        expect(scans).not.toContain('Seq Scan');
        expect(JSON.stringify(plan)).toContain('"Index Name":"actuals_revisions_dataset"');
      }
      expect(await store.deleteDataset('d1')).toBe(true);
      const left = await admin((c) => c.query<{ dataset_id: string; n: number }>(
        `SELECT dataset_id, count(*)::int AS n FROM ${db.schema}.actuals_revisions WHERE dataset_id IN ('d1', 'd2') GROUP BY dataset_id`));
      expect(left.rows).toEqual([{ dataset_id: 'd2', n: 1000 }]);
    });

    /**
     * enqueue_jobs for a new dataset of n jobs plus SKUs 0 and 1 again (their first jobs are the
     * ones to cancel), on the caller's session with auto_explain (superuser only: LOAD and its
     * settings), returning the actual loops of every node of the new dataset's supersede and the
     * transaction's scans of jobs.
     */
    async function newDatasetEnqueue(c: pg.Client, schemaName: string, datasetId: string, n: number) {
      const skus = [...Array.from({ length: n }, (_, i) => `s${i}`), 's0', 's1'];
      const plans: string[] = [];
      const onNotice = (m: { message?: string }) => { if (m.message?.includes('p_new_dataset_id')) plans.push(m.message); };
      c.on('notice', onNotice);
      await c.query('BEGIN');
      await c.query(`SET LOCAL search_path TO ${schemaName}`);
      const { rows } = await c.query<{ first_id: string; created: string; cancelled: string }>(
        `SELECT first_id, created, cancelled FROM enqueue_jobs($1, $2, false, true, $1, ARRAY[$1], '{3}', ARRAY[$3::integer], '{}', '{}',
           ARRAY[$1], $4::text[], '{ets}', '{grid}', '{initial_import}', '{3}', '{3}', '{"{}"}', '{NULL}', false)`,
        [datasetId, Date.now(), skus.length, skus]);
      const stats = await c.query<{ seq_scan: string }>(
        "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [schemaName]);
      const gone = await c.query<{ sku: string; id: string; error: string }>(
        "SELECT sku, id, error FROM jobs WHERE dataset_id = $1 AND status = 'cancelled' ORDER BY sku", [datasetId]);
      await c.query('COMMIT');
      c.off('notice', onNotice);
      const loops: number[] = [];
      const walk = (node: { 'Actual Loops'?: number; Plans?: unknown[] }) => {
        if (typeof node['Actual Loops'] === 'number') loops.push(node['Actual Loops']);
        for (const child of node.Plans ?? []) walk(child as typeof node);
      };
      for (const plan of plans) walk((JSON.parse(plan.slice(plan.indexOf('{'))) as { Plan: Parameters<typeof walk>[0] }).Plan);
      const first = Number(rows[0].first_id);
      return {
        created: Number(rows[0].created), cancelled: Number(rows[0].cancelled), plans: plans.length, loops,
        seqScans: Number(stats.rows[0].seq_scan),
        cancelledJobs: gone.rows.map((r) => [r.sku, Number(r.id) - first, r.error.replace(/\d+$/, (id) => String(Number(id) - first))]),
      };
    }

    it("a new dataset's supersede runs no step once per job and scans no table, with or without statistics (migrations/032_enqueue_linear_and_planned_once.sql)", async (context) => {
      // A new dataset has no statistics: the planner expects one row of it. 021's supersede then
      // put its grouped subquery inside a nested loop, aggregating the dataset's sorted jobs again
      // for each of its jobs (6,000 jobs: 7.6 s; 100,000: not done in 16 minutes). Its reads of the
      // table stay linear (the sort is kept), so the plan is what is checked: auto_explain's
      // actual loops of every node of that statement. The second dataset comes after an ANALYZE
      // that saw the first and six others: a generic plan then takes it for an average dataset,
      // and hashed the jobs to cancel against a scan of the whole table.
      const superuser = await admin(async (c) => (await c.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]?.rolsuper === true);
      if (!superuser) {
        const why = 'the new-dataset supersede plan check needs a superuser DATABASE_URL (LOAD auto_explain and its settings)';
        // CI must run it (its DATABASE_URL is the postgres superuser's), as every PostgreSQL suite
        if (process.env.CI === 'true') throw new Error(`${why}; CI=true refuses to skip it`);
        console.warn(`*** SKIPPED: ${why} ***`);
        context.skip();
      }
      const db = await schema('newds');
      const store = await open(db.url);
      await store.migrate();
      // other datasets' jobs: the analyzed table has several datasets, as a queue in use does
      for (let k = 0; k < 6; k++) await store.enqueue(jobs(300, { datasetId: `other${k}` }), { batchId: `other${k}` });
      const n = 2000;
      const runs = await admin(async (c) => {
        await c.query("LOAD 'auto_explain'");
        for (const setting of ['log_min_duration = 0', 'log_nested_statements = on', "log_level = 'notice'", 'log_analyze = on', 'log_timing = off', 'log_format = json']) {
          await c.query(`SET auto_explain.${setting}`);
        }
        const unseen = await newDatasetEnqueue(c, db.schema, 'first', n);
        await c.query(`ANALYZE ${db.schema}.jobs`);
        const analyzed = await newDatasetEnqueue(c, db.schema, 'second', n);
        return [unseen, analyzed];
      });
      for (const run of runs) {
        expect(run.created).toBe(n + 2);
        expect(run.cancelled).toBe(2);
        expect(run.cancelledJobs).toEqual([
          ['s0', 0, `superseded by job ${n}`],
          ['s1', 1, `superseded by job ${n + 1}`],
        ]);
        expect(run.plans).toBe(1);
        expect(run.loops.length).toBeGreaterThan(0);
        // at most once per cancelled job (2), never once per job of the dataset (2,002)
        expect(Math.max(...run.loops)).toBeLessThanOrEqual(2);
        expect(run.seqScans).toBe(0);
      }
    });

    it("a large batch for work the workers finished reads a few rows a job, whether the statistics predate the drain or follow it (migrations/033_enqueue_statistics.sql)", async () => {
      // An append of actuals: the dataset's jobs all completed, the same work enqueued again with
      // new inputs. Statistics taken while the jobs waited made the finished-jobs indexes look
      // empty (the reuse lookup walked every finished job, per job); statistics taken after the
      // drain made the open-jobs indexes look empty (the supersede read every new job, per job).
      const n = 2500;
      const readsOf = async (analyzeAfterDrain: boolean) => {
        const db = await schema(analyzeAfterDrain ? 'drainedstats' : 'pendingstats');
        const store = await open(db.url);
        await store.migrate();
        // only this test's ANALYZEs: autovacuum could otherwise analyze between the drain and the append
        await admin((c) => c.query(`ALTER TABLE ${db.schema}.jobs SET (autovacuum_enabled = false)`));
        const work = (round: number) => jobs(n, { datasetId: 'a' }).map((job, i) => ({ ...job, sku: `s${i}`, inputHash: `r${round}-${i}` }));
        await store.enqueue(work(1), { batchId: 'import' });
        await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
        for (let claimed = await store.claim({ workerId: 'w', limit: 500, leaseMs: 60_000 }); claimed.length > 0;
          claimed = await store.claim({ workerId: 'w', limit: 500, leaseMs: 60_000 })) {
          await Promise.all(claimed.map((c) => store.complete(c, { done: c.jobId })));
        }
        if (analyzeAfterDrain) await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
        const skus = work(2).map((j) => j.sku);
        const hashes = work(2).map((j) => j.inputHash);
        return admin(async (c) => {
          await c.query('BEGIN');
          await c.query(`SET LOCAL search_path TO ${db.schema}`);
          const { rows } = await c.query<{ created: string; reused: string }>(
            `SELECT created, reused FROM enqueue_jobs('append', $1, true, true, NULL, '{a}', '{3}', ARRAY[$2::integer], '{}', '{}',
               '{a}', $3::text[], '{ets}', '{grid}', '{actuals_appended}', '{3}', '{3}', '{"{}"}', $4::text[], false)`,
            [Date.now(), n, skus, hashes]);
          const stats = await c.query<{ read: string }>(
            "SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema]);
          await c.query('COMMIT');
          return { created: Number(rows[0].created), reused: Number(rows[0].reused), read: Number(stats.rows[0].read) };
        });
      };
      for (const analyzeAfterDrain of [false, true]) {
        const run = await readsOf(analyzeAfterDrain);
        expect(run).toMatchObject({ created: n, reused: 0 });
        // a few rows a job (the lookups, the turns, the supersede's probes), not a walk per job
        expect(run.read).toBeLessThan(20 * n);
      }
    });

    it('the enqueue ANALYZEs only when no other transaction holds the lock: never waits behind one (analyze_jobs_if_free, migrations/033)', async () => {
      // An import analyzing before it takes the enqueue lock and an enqueue analyzing under it
      // waited for each other (a deadlock); every enqueue waits behind the one holding that lock.
      const db = await schema('analyzefree');
      const store = await open(db.url);
      await store.migrate();
      // 2,500 waiting jobs and no statistics yet: an ANALYZE is due (jobs_statistics_hide)
      await store.enqueue(jobs(2500, { datasetId: 'a' }), { batchId: 'a', supersede: false });
      const results = await admin(async (holder) => admin(async (other) => {
        await holder.query('BEGIN');
        await holder.query(`LOCK TABLE ${db.schema}.jobs IN SHARE UPDATE EXCLUSIVE MODE`); // as an ANALYZE or a VACUUM holds it
        const whileHeld = (await other.query<{ ok: boolean }>(`SELECT ${db.schema}.analyze_jobs_if_free() AS ok`)).rows[0].ok;
        await holder.query('ROLLBACK');
        const whenFree = (await other.query<{ ok: boolean }>(`SELECT ${db.schema}.analyze_jobs_if_free() AS ok`)).rows[0].ok;
        return { whileHeld, whenFree };
      }));
      expect(results).toEqual({ whileHeld: false, whenFree: true });
    });

    it("refreshStatistics() ANALYZEs once a drain left the statistics hiding finished jobs, and not when they are fresh (the maintenance loop's)", async () => {
      const db = await schema('refreshstats');
      const store = await open(db.url);
      await store.migrate();
      await admin((c) => c.query(`ALTER TABLE ${db.schema}.jobs SET (autovacuum_enabled = false)`));
      await store.enqueue(jobs(2500, { datasetId: 'a' }), { batchId: 'a' });
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      const completedShare = () => admin(async (c) => Number((await c.query<{ f: number | null }>(
        `SELECT (SELECT m.f FROM pg_stats AS p, unnest(p.most_common_vals::text::text[], p.most_common_freqs) AS m (v, f)
                  WHERE p.schemaname = $1 AND p.tablename = 'jobs' AND p.attname = 'status' AND m.v = 'completed') AS f`, [db.schema])).rows[0].f ?? 0));
      expect(await store.refreshStatistics!()).toBe(false); // they describe the waiting jobs
      for (let claimed = await store.claim({ workerId: 'w', limit: 500, leaseMs: 60_000 }); claimed.length > 0;
        claimed = await store.claim({ workerId: 'w', limit: 500, leaseMs: 60_000 })) {
        await Promise.all(claimed.map((c) => store.complete(c, { done: c.jobId })));
      }
      expect(await completedShare()).toBe(0);
      // The drain's row changes reach pg_stat_user_tables when the store's connections report them
      // (PostgreSQL defers an idle backend's report by up to 10 s): the refresh waits for 1,000.
      await pollDatabase("the drain's row changes in pg_stat_user_tables", async () => await admin(async (c) => Number((await c.query<{ n: string }>(
        "SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema])).rows[0]?.n ?? 0)) >= 1000,
      { tries: 300, pauseMs: 100 });
      expect(await store.refreshStatistics!()).toBe(true);
      expect(await completedShare()).toBe(1);
      expect(await store.refreshStatistics!()).toBe(false);
    });

    it("enqueue_jobs keeps generic plans (migrations/032_enqueue_linear_and_planned_once.sql) that read jobs by index only, and leaves the caller's plan_cache_mode as it was", async () => {
      // One-job calls as a planner's edit makes them (supersede, reuse on), into an analyzed queue
      // with finished and waiting jobs: a generic plan knows neither the arrays nor the ids, and
      // must still seek (the reuse by input hash, the supersede by work, the turns by priority).
      const db = await schema('enqplans');
      const store = await open(db.url);
      await store.migrate();
      const hashed = (n: number, datasetId: string) =>
        jobs(n, { datasetId }).map((job, i) => ({ ...job, sku: `s${i}`, inputHash: `${datasetId}-${i}` }));
      await store.enqueue(hashed(1500, 'a'), { batchId: 'a' });
      await store.enqueue(hashed(1500, 'b'), { batchId: 'b' });
      const claimed = await store.claim({ workerId: 'w', limit: 1000, leaseMs: 60_000 });
      await Promise.all(claimed.map((c) => store.complete(c, { done: c.jobId })));
      await admin((c) => c.query(`ANALYZE ${db.schema}.jobs`));
      const { config, language, calls, seqScans, fetched, modeAfter } = await admin(async (c) => {
        const fn = await c.query<{ proname: string; proconfig: string[] | null; lanname: string }>(
          `SELECT p.proname, p.proconfig, l.lanname FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
             JOIN pg_language AS l ON l.oid = p.prolang
            WHERE n.nspname = $1 AND p.proname IN ('enqueue_jobs', 'save_waiting_turns') AND p.pronargs <> 19`, [db.schema]);
        await c.query('BEGIN');
        await c.query(`SET LOCAL search_path TO ${db.schema}`);
        // the caller's own setting, which the function's must not replace
        await c.query('SET LOCAL plan_cache_mode = force_custom_plan');
        const calls: Array<{ created: string; reused: string; cancelled: string }> = [];
        for (let i = 0; i < 8; i++) {
          // SKU s<i> of dataset a: its first jobs completed (a reuse), the others waiting (superseded)
          const { rows } = await c.query<{ created: string; reused: string; cancelled: string }>(
            `SELECT created, reused, cancelled FROM enqueue_jobs('edit' || $1, $2, true, true, NULL, '{a}', '{1}', '{1}', '{}', '{}',
               '{a}', ARRAY['s' || $1], '{ets}', '{grid}', '{manual}', '{1}', '{3}', '{"{}"}', ARRAY['a-' || $1], false)`,
            [i * 200, Date.now()]);
          calls.push(rows[0]);
        }
        const stats = await c.query<{ seq_scan: string; idx_tup_fetch: string }>(
          "SELECT seq_scan, idx_tup_fetch FROM pg_stat_xact_user_tables WHERE schemaname = $1 AND relname = 'jobs'", [db.schema]);
        const mode = (await c.query<{ v: string }>("SELECT current_setting('plan_cache_mode') AS v")).rows[0].v;
        await c.query('COMMIT');
        const byName = new Map(fn.rows.map((r) => [r.proname, r]));
        return {
          config: byName.get('enqueue_jobs')?.proconfig, language: byName.get('save_waiting_turns')?.lanname,
          calls, seqScans: Number(stats.rows[0].seq_scan), fetched: Number(stats.rows[0].idx_tup_fetch), modeAfter: mode,
        };
      });
      expect(config).toContain('plan_cache_mode=force_generic_plan');
      expect(language).toBe('plpgsql');
      // every call made one job; the completed ones were reused, the waiting ones superseded
      expect(calls.every((r) => Number(r.created) === 1)).toBe(true);
      expect(calls.filter((r) => Number(r.reused) === 1).length).toBeGreaterThan(0);
      expect(calls.filter((r) => Number(r.cancelled) === 1).length).toBeGreaterThan(0);
      expect(seqScans).toBe(0);
      // seeks, not a walk of an index past the queue's 3,000 jobs (a few rows a call)
      expect(fetched).toBeLessThan(8 * 20);
      expect(modeAfter).toBe('force_custom_plan');
    });
  });
} else {
  describe.skip('PostgreSQL query plans (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
