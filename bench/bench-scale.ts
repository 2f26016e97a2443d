/**
 * bench-queue's scale phases: a queue with many pending jobs (`--pending N`), many worker processes
 * on one PostgreSQL (`--procs N`), and fairness between two datasets at the same priority
 * (`--fairness`). Each runs on a fresh database and stops its processes; every wait is bounded.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Store } from '../src/stores/store.js';
import { startSkucast } from '../tests/support/skucast-process.js';
import type { TestDatabase } from '../tests/support/test-database.js';
import { backendRoles, connectionsByProcess, connectionsVerdict, workerConnections, type QueryRows, type WorkerConnections } from './process-connections.js';
import {
  log, noopJobs, now, pgClient, quantile, rate, round2, startWorkers, stopWorkers, timeCalls, until, waitForWorkers, withDatabase,
} from './bench-support.js';

const enqueueChunk = 100_000;
/** How long --procs watches the idle workers' CPU before the pickups. */
const idleWindowMs = 5_000;

export interface PendingFigures {
  pending: number;
  enqueue_ms: number;
  enqueue_jobs_per_s: number;
  claim_p50_ms: number;
  claim_p99_ms: number;
  status_poll_p50_ms: number;
  status_poll_p99_ms: number;
  drain_jobs_per_s: number;
}

/** Enqueues `n` jobs (100,000 per enqueue call), then measures claims, status polls and a drain window with them waiting. */
export async function benchPending(n: number, processes: number, concurrency: number, windowMs = 10_000): Promise<PendingFigures> {
  return withDatabase('pending', async (db, store) => {
    const t = performance.now();
    for (let i = 0; i < n; i += enqueueChunk) {
      await store.enqueue(noopJobs(Math.min(enqueueChunk, n - i), `p${i}`), { batchId: `pending-${i}` });
    }
    const enqueueMs = performance.now() - t;
    if ((await store.summary()).pending !== n) throw new Error('the pending count does not match what was enqueued');
    log(`  ${n.toLocaleString('en-US')} jobs enqueued in ${enqueueMs.toFixed(0)} ms (${enqueueChunk.toLocaleString('en-US')} per enqueue call)`);

    // One worker's claim of 10 at a time, as the runner makes them, with the whole queue waiting.
    const claimed: Awaited<ReturnType<Store['claim']>> = [];
    const claims = await timeCalls(300, async () => {
      claimed.push(...(await store.claim({ workerId: 'bench-probe', limit: 10, leaseMs: 60_000 })));
    });
    await Promise.all(claimed.map((c) => store.complete(c, null)));
    log(`  claim of 10 with ${n.toLocaleString('en-US')} pending: p50 ${round2(quantile(claims, 0.5))} ms, p99 ${round2(quantile(claims, 0.99))} ms, max ${round2(claims[claims.length - 1])} ms`);

    const polls = await statusPolls(db, 200);
    log(`  GET /api/jobs/status: p50 ${round2(quantile(polls, 0.5))} ms, p99 ${round2(quantile(polls, 0.99))} ms`);

    const workers = startWorkers(db, processes, concurrency);
    await waitForWorkers(store, workers, 120_000);
    const c0 = (await store.summary()).completed;
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const c1 = (await store.summary()).completed;
    const drainMs = performance.now() - t0;
    await stopWorkers(workers);
    log(`  drain with ${(n - c1).toLocaleString('en-US')} still pending: ${c1 - c0} jobs in ${drainMs.toFixed(0)} ms, ${processes} process(es) x ${concurrency}`);
    return {
      pending: n, enqueue_ms: Math.round(enqueueMs), enqueue_jobs_per_s: rate(n, enqueueMs),
      claim_p50_ms: round2(quantile(claims, 0.5)), claim_p99_ms: round2(quantile(claims, 0.99)),
      status_poll_p50_ms: round2(quantile(polls, 0.5)), status_poll_p99_ms: round2(quantile(polls, 0.99)),
      drain_jobs_per_s: rate(c1 - c0, drainMs),
    };
  });
}

/** Times `n` fresh (no ETag) GET /api/jobs/status on a spawned API process, as a newly opened app makes it. */
async function statusPolls(db: TestDatabase, n: number): Promise<number[]> {
  const api = startSkucast('bench-api', ['api', '--port', '0'], db.env);
  try {
    const listening = await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''), 60_000);
    const url = new URL('api/jobs/status?limit=50', listening.url as string).toString();
    for (let i = 0; i < 5; i++) await (await fetch(url)).arrayBuffer(); // warm up
    return await timeCalls(n, async () => {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET /api/jobs/status answered ${response.status}`);
    });
  } finally {
    api.child.kill('SIGTERM');
    await api.exited;
  }
}

export interface ManyWorkersFigures {
  processes: number;
  drain_jobs_per_s: number;
  pickup_p50_ms: number;
  pickup_p99_ms: number;
  /** CPU time per pickup job, all worker processes together / the schema's server backends: what the wake-ups cost, whatever the machine's load. */
  pickup_worker_cpu_ms_per_job: number | null;
  pickup_server_cpu_ms_per_job: number | null;
  /** The same less what the processes spent idle over as long (measured just before): the pickups' own cost. */
  pickup_worker_cpu_above_idle_ms_per_job: number | null;
  pickup_server_cpu_above_idle_ms_per_job: number | null;
  /** The server's share split by who holds the backend: the bench's own store (its getJob polls), the workers' pools, their LISTEN connections. */
  pickup_server_cpu_by_backend: Record<string, { backends: number; ms_per_job: number | null; above_idle_ms_per_job: number | null }> | null;
  /** 'targeted' (the default) or 'all' (--wake-all: every process claims on every wake, as before migration 014). */
  wake: 'targeted' | 'all';
  /**
   * Connections held by the worker processes (not the bench's own store): the most at once in all,
   * and the most any one process held, pooled and LISTEN (null where /proc cannot tell them apart).
   */
  connections_max: number | null;
  connections_per_process: number | null;
  pool_connections_per_process_max: number | null;
  listen_connections_per_process_max: number | null;
  /** The bench's own store's connections at most, not counted above. */
  bench_connections_max: number;
  /** The schema's connections put on no process at most: when above 0, the figures above may leave some out. */
  connections_unattributed_max: number | null;
  /** At most 2 pooled + 1 LISTEN per worker process; 'cannot tell' when not every connection was put on a process. */
  connections_verdict: 'met' | 'not met' | 'cannot tell' | null;
}

/** utime + stime in ms of each of these processes that is still there (Linux /proc; empty elsewhere). */
export function cpuMsOf(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime, stime (fields 14, 15); USER_HZ 100
    } catch {
      // gone: a pooled connection closed after 30 s idle (its backend exits), or not Linux
    }
  }
  return out;
}

/** CPU ms spent between two readings by the processes present in both; null when none was. */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number | null {
  let ms = 0;
  let seen = false;
  for (const [pid, t] of after) {
    const t0 = before.get(pid);
    if (t0 === undefined) continue;
    ms += t - t0;
    seen = true;
  }
  return seen ? ms : null;
}

/** As before migrations/014_targeted_wake.sql: every new pending job wakes every process. */
const wakeAllSql = (schema: string) => `CREATE OR REPLACE FUNCTION ${schema}.wake_claimers(schema_name text, new_jobs bigint) RETURNS void
  LANGUAGE plpgsql AS $$ BEGIN IF new_jobs > 0 THEN PERFORM pg_notify('skucast_jobs', schema_name); END IF; END $$`;

/** `processes` worker processes on one PostgreSQL: drain, pickup with all of them idle, and the server's connection count. */
export async function benchManyWorkers(
  processes: number, concurrency: number, drainJobs: number, pickupJobs: number, wake: 'targeted' | 'all' = 'targeted',
): Promise<ManyWorkersFigures> {
  return withDatabase('procs', async (db, store) => {
    const url = db.env.DATABASE_URL;
    const schema = new URL(url).searchParams.get('schema');
    // One connection of the bench's own for every look at the server, opened before the workers
    // take theirs: 32 x 3 of them leave little of the server's 100, and a connection opened per
    // sample would churn and could be refused.
    const admin = await pgClient(url);
    const query: QueryRows = async <R>(text: string, values: unknown[]) => (await admin.query(text, values)).rows as R[];
    // The worker processes' connections only, told apart from the bench's own by their sockets:
    // the most seen at once, connections put on no process at most, and workers whose LISTEN
    // connection was not found at the fewest (0 once every worker was seen listening at once).
    const seen: WorkerConnections & { attributed: boolean } = {
      total: 0, poolMax: 0, listenMax: 0, bench: 0, unattributed: 0, workersWithoutListen: processes, attributed: true,
    };
    const countConnections = async () => {
      const workerPids = workers.map((w) => w.child.pid!);
      const held = await connectionsByProcess(query, schema!, [...workerPids, process.pid]);
      if (!held) {
        seen.attributed = false;
        return;
      }
      const w = workerConnections(held, workerPids, process.pid);
      seen.total = Math.max(seen.total, w.total);
      seen.poolMax = Math.max(seen.poolMax, w.poolMax);
      seen.listenMax = Math.max(seen.listenMax, w.listenMax);
      seen.bench = Math.max(seen.bench, w.bench);
      seen.unattributed = Math.max(seen.unattributed, w.unattributed);
      seen.workersWithoutListen = Math.min(seen.workersWithoutListen, w.workersWithoutListen);
    };
    const workers = startWorkers(db, processes, concurrency);
    await waitForWorkers(store, workers, 300_000);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await countConnections().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      const t = performance.now();
      await store.enqueue(noopJobs(drainJobs, 'drain'), { batchId: 'drain', supersede: false, reuse: false });
      await until(async () => (await store.summary()).completed >= drainJobs, 600_000, 20, 'the drain');
      const drainMs = performance.now() - t;
      log(`  drain ${drainJobs} no-op jobs, ${processes} worker processes x concurrency ${concurrency}: ${drainMs.toFixed(0)} ms`);
      if (wake === 'all') await admin.query(wakeAllSql(schema!));
      const workerPids = workers.map((w) => w.child.pid!);
      const serverPids = (await query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1', [`skucast%:${schema}`])).map((r) => r.pid);
      // "The server" above includes the bench's own store, which polls getJob every ms while it
      // waits for a pickup: said apart, with the workers' pooled and LISTEN backends.
      const roles = await backendRoles(query, schema!, workerPids, process.pid);
      // What the idle processes spend anyway (backstop polls, heartbeats, rescues), per ms: the
      // pickup's CPU above it is what the wake-ups, claims and completes cost, however long the
      // pickups took on a loaded machine.
      const rolePids = roles ? [roles.bench, roles.workerPool, roles.workerListen] : [];
      const idle0 = { w: cpuMsOf(workerPids), s: cpuMsOf(serverPids), r: rolePids.map(cpuMsOf), t: performance.now() };
      await new Promise((resolve) => setTimeout(resolve, idleWindowMs));
      const idle1 = { w: cpuMsOf(workerPids), s: cpuMsOf(serverPids), r: rolePids.map(cpuMsOf), t: performance.now() };
      const idleRate = (a: Map<number, number>, b: Map<number, number>) => (cpuSpent(a, b) ?? 0) / (idle1.t - idle0.t);
      const [workerIdleRate, serverIdleRate] = [idleRate(idle0.w, idle1.w), idleRate(idle0.s, idle1.s)];
      const benchCpu0 = process.cpuUsage();
      const [workerCpu0, serverCpu0, roleCpu0, p0] = [cpuMsOf(workerPids), cpuMsOf(serverPids), rolePids.map(cpuMsOf), performance.now()];
      const { latencies } = await pickup(store, pickupJobs);
      const [workerCpu1, serverCpu1, roleCpu1, pickupMs] = [cpuMsOf(workerPids), cpuMsOf(serverPids), rolePids.map(cpuMsOf), performance.now() - p0];
      const benchCpu = process.cpuUsage(benchCpu0);
      const perJob = (a: Map<number, number>, b: Map<number, number>) => {
        const ms = cpuSpent(a, b);
        return ms === null ? null : round2(ms / pickupJobs);
      };
      const aboveIdle = (a: Map<number, number>, b: Map<number, number>, rate: number) => {
        const ms = cpuSpent(a, b);
        return ms === null ? null : round2((ms - rate * pickupMs) / pickupJobs);
      };
      const workerAboveIdle = aboveIdle(workerCpu0, workerCpu1, workerIdleRate);
      const serverByRole = roles === null ? null : Object.fromEntries(['bench', 'worker_pool', 'worker_listen'].map((role, i) => [role, {
        backends: rolePids[i].length,
        ms_per_job: perJob(roleCpu0[i], roleCpu1[i]),
        above_idle_ms_per_job: aboveIdle(roleCpu0[i], roleCpu1[i], idleRate(idle0.r[i], idle1.r[i])),
      }]));
      const serverAboveIdle = aboveIdle(serverCpu0, serverCpu1, serverIdleRate);
      sampling = false;
      await sampler;
      await countConnections(); // at least one sample, however short the run
      log(`  pickup with ${processes} idle workers over ${pickupJobs} jobs (wake ${wake}): p50 ${round2(quantile(latencies, 0.5))} ms, p99 ${round2(quantile(latencies, 0.99))} ms; CPU per job: workers ${perJob(workerCpu0, workerCpu1)} ms, server ${perJob(serverCpu0, serverCpu1)} ms; above what they spend idle (workers ${round2(workerIdleRate * 1000)} ms/s, server ${round2(serverIdleRate * 1000)} ms/s): workers ${workerAboveIdle} ms, server ${serverAboveIdle} ms`);
      if (serverByRole) {
        log(`  server CPU per pickup job by backend: ${Object.entries(serverByRole).map(([role, f]) => `${role} (${f.backends}) ${f.ms_per_job} ms, above idle ${f.above_idle_ms_per_job} ms`).join('; ')}; the bench process itself ${round2((benchCpu.user + benchCpu.system) / 1000 / pickupJobs)} ms; pickup window ${Math.round(pickupMs)} ms`);
      }
      log(seen.attributed
        ? `  worker connections at most ${seen.total} at once; per process at most ${seen.poolMax} pooled + ${seen.listenMax} LISTEN (the bench's own store held up to ${seen.bench} more, not counted)` +
          (connectionsVerdict(seen) === 'cannot tell'
            ? `; CANNOT TELL: up to ${seen.unattributed} connections put on no process, ${seen.workersWithoutListen} workers' LISTEN never found (Unix socket, proxy or NAT between the workers and the server?)`
            : '')
        : '  worker connections: n/a (telling processes apart needs Linux /proc)');
      const attributed = <T>(value: T) => (seen.attributed ? value : null);
      return {
        processes, drain_jobs_per_s: rate(drainJobs, drainMs),
        pickup_p50_ms: round2(quantile(latencies, 0.5)), pickup_p99_ms: round2(quantile(latencies, 0.99)),
        pickup_worker_cpu_ms_per_job: perJob(workerCpu0, workerCpu1), pickup_server_cpu_ms_per_job: perJob(serverCpu0, serverCpu1), wake,
        pickup_worker_cpu_above_idle_ms_per_job: workerAboveIdle, pickup_server_cpu_above_idle_ms_per_job: serverAboveIdle,
        pickup_server_cpu_by_backend: serverByRole,
        connections_max: attributed(seen.total), connections_per_process: attributed(round2(seen.total / processes)),
        pool_connections_per_process_max: attributed(seen.poolMax), listen_connections_per_process_max: attributed(seen.listenMax),
        bench_connections_max: seen.bench, connections_unattributed_max: attributed(seen.unattributed),
        connections_verdict: attributed(connectionsVerdict(seen)),
      };
    } finally {
      sampling = false;
      await sampler;
      await stopWorkers(workers);
      await admin.end().catch(() => undefined);
    }
  });
}

export interface PickupTimes {
  /** Enqueue call to handler start: the pickup (sorted ms). */
  latencies: number[];
  /** The enqueue call alone, to its return: a transaction with a durable commit (sorted ms). */
  enqueueCalls: number[];
  /** The enqueue call's return to handler start (sorted ms): the wake, the claim and the start. */
  afterEnqueue: number[];
}

/** Enqueue to handler start, one job at a time with the workers idle in between. */
export async function pickup(store: Store, jobs: number): Promise<PickupTimes> {
  const latencies: number[] = [];
  const enqueueCalls: number[] = [];
  const afterEnqueue: number[] = [];
  for (let i = 0; i < jobs; i++) {
    const t0 = now();
    const result = await store.enqueue(noopJobs(1, `pickup${i}`), { batchId: `pickup-${i}`, supersede: false, reuse: false });
    const t1 = now();
    const id = result.firstId!;
    let startedAt = 0;
    await until(async () => {
      const job = await store.getJob(id);
      if (job?.status !== 'completed') return false;
      startedAt = (job.result as { startedAtMonotonicMs: number }).startedAtMonotonicMs;
      return true;
    }, 10_000, 1, `pickup job ${id}`);
    latencies.push(startedAt - t0);
    enqueueCalls.push(t1 - t0);
    afterEnqueue.push(startedAt - t1);
    // An idle worker between jobs, as a planner's single edit would find it.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return { latencies: sorted(latencies), enqueueCalls: sorted(enqueueCalls), afterEnqueue: sorted(afterEnqueue) };
}

export interface FairnessFigures {
  big_jobs: number;
  small_finish_ms: number;
  edit_finish_ms: number;
  big_completed_when_small_done: number;
}

/**
 * A big dataset's upload (`bigJobs` at priority 3) is already being worked on when a 10-job
 * dataset arrives at the same priority, then a planner's edit (priority 1): how long until the
 * small dataset and the edit are done. The rest of the big one is not waited for.
 */
export async function benchFairness(bigJobs: number, processes: number, concurrency: number): Promise<FairnessFigures> {
  return withDatabase('fair', async (db, store) => {
    const workers = startWorkers(db, processes, concurrency);
    await waitForWorkers(store, workers, 120_000);
    try {
      await store.enqueue(noopJobs(bigJobs, 'big', 'big'), { batchId: 'big', supersede: false, reuse: false });
      await until(async () => (await store.summary()).completed >= Math.min(1_000, bigJobs / 10), 120_000, 5, 'the big dataset to start');
      const t = performance.now();
      await store.enqueue(noopJobs(10, 'small', 'small'), { batchId: 'small', supersede: false, reuse: false });
      const edit = await store.enqueue(noopJobs(1, 'edit', 'edit', 1), { batchId: 'edit', supersede: false, reuse: false });
      let editMs = 0;
      await until(async () => {
        if (editMs === 0 && (await store.getJob(edit.firstId!))?.status === 'completed') editMs = performance.now() - t;
        return (await store.summary({ datasetId: 'small' })).completed === 10;
      }, 600_000, 2, 'the small dataset');
      const smallMs = performance.now() - t;
      while (editMs === 0) {
        if ((await store.getJob(edit.firstId!))?.status === 'completed') editMs = performance.now() - t;
        else await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const bigDone = (await store.summary({ datasetId: 'big' })).completed;
      log(`  fairness: 10-job dataset behind ${bigJobs.toLocaleString('en-US')} done in ${smallMs.toFixed(0)} ms (big had ${bigDone} done), priority-1 edit in ${editMs.toFixed(0)} ms`);
      return { big_jobs: bigJobs, small_finish_ms: Math.round(smallMs), edit_finish_ms: Math.round(editMs), big_completed_when_small_done: bigDone };
    } finally {
      await stopWorkers(workers);
    }
  });
}
