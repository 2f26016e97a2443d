/**
 * The PostgreSQL peers in bench-queue's run: pg-boss 10 (batch mode) and graphile-worker 0.17
 * (local queue, batched completes), their settings in peer-settings.ts, each in its own fresh
 * schema on the same server as ours, draining the same number of no-op jobs with the same number
 * of worker processes and the same concurrency.
 * Drain time runs from the bulk insert (one call for all jobs, as ours is one store.enqueue) until
 * the peer's table says every job is done; the worker processes' CPU, the bench's and the server's
 * (server-cost.ts) are read around that window too. Every wait is bounded: a peer that does not start,
 * drain or stop fails the phase instead of hanging the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { log, pgClient, pgQuery, until } from './bench-support.js';
import { cpuMsOf, cpuSpent } from './bench-scale.js';
import { drainRun, type DrainRun } from './drain-run.js';
import { serverCost, serverCostLine, type ServerCostMeter } from './server-cost.js';

export type PeerKind = 'pg-boss' | 'graphile-worker';

/** How long a peer's worker may take to start, and to stop once told to, before the phase gives up. */
const readyMs = 60_000;
const stopMs = 10_000;

export async function benchPostgresPeer(kind: PeerKind, baseUrl: string, jobs: number, processes: number, concurrency: number): Promise<DrainRun> {
  const schema = `bench_${kind.replace('-', '_')}_${randomBytes(4).toString('hex')}`;
  const queue = 'noop';
  const clean = new URL(baseUrl);
  clean.searchParams.delete('schema');
  clean.searchParams.delete('connection_limit');
  const url = clean.href;
  const children: ChildProcess[] = [];
  let closeProducer: () => Promise<void> = async () => undefined;
  // One connection for the drain's polls (ours polls through its store's open pool): a new one per
  // poll forked a server backend every time, CPU taken from the peer on a 2-core machine.
  const poller = await pgClient(url);
  let meter: ServerCostMeter | null = null;
  try {
    // The producer installs the peer's schema (its own migrations), then the workers start.
    let addBatch: (from: number, n: number) => Promise<void>;
    let remaining: () => Promise<number>;
    if (kind === 'pg-boss') {
      const { default: PgBoss } = await import('pg-boss');
      const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false });
      boss.on('error', () => undefined);
      closeProducer = () => boss.stop({ graceful: false, wait: true, close: true });
      await boss.start();
      await boss.createQueue(queue);
      addBatch = (from, n) => boss.insert(Array.from({ length: n }, (_, k) => ({ name: queue, data: { i: from + k } })));
      remaining = async () => Number((await poller.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state <> 'completed'`, [queue])).rows[0].n);
    } else {
      const { makeWorkerUtils } = await import('graphile-worker');
      const utils = await makeWorkerUtils({ connectionString: url, schema });
      closeProducer = async () => { await utils.release(); };
      await utils.migrate();
      addBatch = async (from, n) => {
        await utils.addJobs(Array.from({ length: n }, (_, k) => ({ identifier: queue, payload: { i: from + k } })));
      };
      // graphile-worker deletes a job when it completes.
      remaining = async () => Number((await poller.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}._private_jobs`)).rows[0].n);
    }
    const script = new URL('./peer-worker.js', import.meta.url).pathname;
    const ready = Array.from({ length: processes }, () => {
      const child = spawn(process.execPath, [script, kind, url, schema, queue, String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${kind} worker not ready after ${readyMs} ms`)), readyMs);
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (line === 'ready') {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`${kind} worker exited with ${code}`)));
      });
    });
    await Promise.all(ready);
    const pids = children.map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
    meter = await serverCost(url, pids);
    const [cpu0, benchCpu0] = [cpuMsOf(pids), process.cpuUsage()];
    const t = performance.now();
    await addBatch(0, jobs);
    await until(async () => (await remaining()) === 0, 600_000, 20, `the ${kind} drain`);
    const ms = performance.now() - t;
    const server = await meter.end(jobs);
    const [workerCpu, benchCpu] = [cpuSpent(cpu0, cpuMsOf(pids)), process.cpuUsage(benchCpu0)];
    log(`  ${kind} drain ${jobs} no-op jobs, ${processes} processes, concurrency ${concurrency}: ${ms.toFixed(0)} ms`);
    const run = drainRun(jobs, ms, workerCpu, benchCpu, server);
    log(`  ${kind}: worker processes' CPU ${run.worker_cpu_ms_per_1000 ?? 'n/a'} ms per 1,000 jobs, the bench process's ${run.bench_cpu_ms_per_1000}`);
    log(`  ${serverCostLine(kind, server)}`);
    return run;
  } finally {
    await meter?.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), stopMs);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    }))));
    await closeProducer().catch(() => undefined);
    await poller.end().catch(() => undefined);
    await pgQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  }
}
