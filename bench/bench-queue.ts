/**
 * `npm run bench:queue [-- --json] [-- --store postgres] [-- --pending 1000000] [-- --procs 32] [-- --fairness]`:
 * the queue's throughput and latency,
 * measured on real processes against a fresh database per phase, with BullMQ on Redis as the
 * yardstick in the same run. Prints a table; with --json, one JSON object on the last line.
 *
 * Phases: enqueue through the store (5 x 50,000 jobs, one bulk call each, after one not counted);
 * enqueue through HTTP
 * (POST /api/jobs, SKU-list form, on a spawned `node server.js api`); drain of 20,000 no-op jobs
 * by 1 and 2 `node server.js worker --handler noop` processes (and their CPU, from /proc); pickup
 * latency (enqueue to handler start, 1,000 jobs one at a time, idle worker); BullMQ drain of 20,000 no-op jobs by 2 processes
 * with its default concurrency and with ours, and by 1 process with ours (the goal is against the
 * fastest of the three), and BullMQ's pickup measured the same way (1 idle process). Redis here
 * keeps nothing on disk (the machine's `--save "" --appendonly no`): BullMQ's jobs are less durable
 * than ours under SQLite's synchronous=NORMAL. On SQLite, plainjob's bulk enqueue beside ours; on
 * PostgreSQL, pg-boss (batch mode) and graphile-worker 0.17 (its local queue and batched
 * completes) draining the same jobs with the same processes and concurrency, each in a schema of
 * its own on the same server (their settings and why: peer-settings.ts). Our PostgreSQL claims,
 * renewals and progress commit with synchronous_commit=off (docs/durability.md); theirs wait for
 * the WAL flush. Each PostgreSQL drain (ours with 1 and 2 processes, each peer's) also prints what it
 * cost the server: its CPU per 1,000 jobs from /proc when the server is local (or why it could not
 * be measured), and the WAL bytes per job (server-cost.ts); with the workers' CPU, the most any
 * drain could do on this machine's cores (drain-run.ts).
 * Opt-in scale phases (bench-scale.ts): `--pending N` (claims, status polls and a drain with N jobs
 * waiting), `--procs N` (N worker processes on PostgreSQL: drain, pickup, and the connections the worker
 * processes hold, told apart from the bench's own by their sockets),
 * `--fairness` (a 10-job dataset behind a 100,000-job one, and a priority-1 edit). `--wake-all`
 * with `--procs` wakes every process on every new job (as before targeted wakes) to compare.
 * With any of those given, only the phases named by --only run (default: just those).
 * A phase that cannot run reports null and says why.
 */
import { availableParallelism, loadavg } from 'node:os';
import { cliArgs } from '../tests/support/cli-args.js';
import { performance } from 'node:perf_hooks';
import { createDailyDataset } from '../tests/support/test-datasets.js';
import { startSkucast, stopAll } from '../tests/support/skucast-process.js';
import {
  log, noopJobs, rate, round2, startWorkers as startWorkerProcesses, stopWorkers, until, waitForWorkers, withDatabase,
} from './bench-support.js';
import { benchFairness, benchManyWorkers, benchPending, cpuMsOf, cpuSpent, pickup } from './bench-scale.js';
import { benchBullmq, benchBullmqPickup } from './bullmq-peer.js';
import { pickupFiguresOf, type PickupFigures } from './pickup-figures.js';
import { benchEnqueue } from './bench-enqueue.js';
import { benchPostgresPeer } from './peers-postgres.js';
import { peerSettings, pgBossSubscriptions } from './peer-settings.js';
import { drainRun, type DrainRun } from './drain-run.js';
import { serverCost, serverCostLine } from './server-cost.js';

const { values: args } = cliArgs('bench:queue', {
  json: { type: 'boolean', default: false },
  store: { type: 'string', default: 'sqlite' },
  concurrency: { type: 'string', default: '256' },
  'drain-jobs': { type: 'string', default: '20000' },
  'enqueue-jobs': { type: 'string', default: '50000' },
  // 1,000: a p99 of 200 pickups is their third-largest value, two stray events move it; of 1,000 it rests on the ten largest.
  'pickup-jobs': { type: 'string', default: '1000' },
  'skip-bullmq': { type: 'boolean', default: false },
  'skip-peers': { type: 'boolean', default: false },
  pending: { type: 'string' },
  procs: { type: 'string' },
  'procs-concurrency': { type: 'string', default: '32' },
  /** With --procs: every process claims on every wake (the herd targeted wakes replaced), to compare. */
  'wake-all': { type: 'boolean', default: false },
  fairness: { type: 'boolean', default: false },
  'fairness-jobs': { type: 'string', default: '100000' },
  /** Comma list of phases to run: enqueue,http,drain1,drain2,pickup,bullmq,peers (or pg-boss, graphile-worker alone),pending,procs,fairness. */
  only: { type: 'string' },
});

if (args.store === 'postgres') {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
} else if (args.store === 'sqlite') {
  delete process.env.DATABASE_URL;
} else {
  console.error(`--store must be sqlite or postgres, got '${args.store}'`);
  process.exit(2);
}

const concurrency = Number(args.concurrency);
const drainJobs = Number(args['drain-jobs']);
const enqueueJobs = Number(args['enqueue-jobs']);
const pickupJobs = Number(args['pickup-jobs']);
const notes: string[] = [];
const startWorkers = (db: Parameters<typeof startWorkerProcesses>[0], n: number) => startWorkerProcesses(db, n, concurrency);

async function benchEnqueueHttp(): Promise<number> {
  return withDatabase('http', async (db, store) => {
    const skus = Array.from({ length: 10_000 }, (_, i) => `SKU-${i}`);
    await createDailyDataset(store, 'bench-http', skus, 60);
    const models = ['naive', 'mean', 'seasonal_naive', 'simple_exponential_smoothing', 'moving_average'];
    // POST /api/jobs takes only the dataset's own models (another's result would never show).
    const dataset = (await store.getDataset('bench-http'))!;
    await store.updateSettings(dataset.id, { ...dataset.settings, models }, null, null);
    const api = startSkucast('bench-api', ['api', '--port', '0'], db.env);
    const listening = await api.waitForLine((l) => typeof l.url === 'string' && /listening/.test(l.msg ?? ''), 30_000);
    const url = new URL('api/jobs', listening.url as string).toString();
    let created = 0;
    const t = performance.now();
    for (let i = 0; i < skus.length; i += 1_000) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ skus: skus.slice(i, i + 1_000), models, datasetId: 'bench-http' }),
      });
      const body = (await response.json()) as { jobsCreated?: number; error?: string };
      if (response.status !== 201) throw new Error(`POST /api/jobs answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
      created += body.jobsCreated ?? 0;
    }
    const ms = performance.now() - t;
    log(`  enqueue via HTTP: ${created} jobs in 10 requests of 1,000 SKUs x ${models.length} models, ${ms.toFixed(0)} ms`);
    api.child.kill('SIGTERM');
    await api.exited;
    return rate(created, ms);
  });
}

async function benchDrain(processes: number): Promise<DrainRun> {
  return withDatabase(`drain${processes}`, async (db, store) => {
    const workers = startWorkers(db, processes);
    await waitForWorkers(store, workers);
    const pids = workers.map((w) => w.child.pid).filter((pid): pid is number => pid !== undefined);
    const meter = postgres ? await serverCost(db.env.DATABASE_URL, pids) : null;
    try {
      const [cpu0, benchCpu0] = [cpuMsOf(pids), process.cpuUsage()];
      const t = performance.now();
      await store.enqueue(noopJobs(drainJobs, 'drain'), { batchId: 'drain', supersede: false, reuse: false });
      await until(async () => (await store.summary()).completed >= drainJobs, 300_000, 10, 'the drain');
      const ms = performance.now() - t;
      const server = meter ? await meter.end(drainJobs) : null;
      // CPU of the worker processes (Linux /proc): what a shared machine's load blurs least.
      const [workerCpu, benchCpu] = [cpuSpent(cpu0, cpuMsOf(pids)), process.cpuUsage(benchCpu0)];
      const run = drainRun(drainJobs, ms, workerCpu, benchCpu, server);
      if (workerCpu !== null) log(`  drain ${processes}: worker processes' CPU ${workerCpu.toFixed(0)} ms, ${run.worker_cpu_ms_per_1000} ms per 1,000 jobs; the bench process's ${run.bench_cpu_ms_per_1000}`);
      if (server) log(`  ${serverCostLine(`drain ${processes}`, server)}`);
      await stopWorkers(workers);
      const summary = await store.summary();
      if (summary.completed !== drainJobs || summary.running !== 0) throw new Error(`drain left ${JSON.stringify(summary)}`);
      log(`  drain ${drainJobs} no-op jobs, ${processes} worker process(es) x concurrency ${concurrency}: ${ms.toFixed(0)} ms`);
      return run;
    } finally {
      await meter?.close();
    }
  });
}

async function benchPickup(): Promise<PickupFigures> {
  return withDatabase('pickup', async (db, store) => {
    const workers = startWorkers(db, 1);
    await waitForWorkers(store, workers);
    const times = await pickup(store, pickupJobs);
    await stopWorkers(workers);
    const f = pickupFiguresOf(times);
    log(`  pickup over ${pickupJobs} jobs: min ${round2(times.latencies[0])} ms, max ${round2(times.latencies[times.latencies.length - 1])} ms; the enqueue call p50 ${f.call_p50} / p99 ${f.call_p99} ms, its return to handler start p50 ${f.after_p50} / p99 ${f.after_p99} ms`);
    return f;
  });
}

const scaleAsked = args.pending !== undefined || args.procs !== undefined || args.fairness;
const only = args.only
  ? new Set(args.only.split(','))
  : scaleAsked ? new Set([args.pending !== undefined ? 'pending' : '', args.procs !== undefined ? 'procs' : '', args.fairness ? 'fairness' : '']) : null;
const skipByDefault = new Set(['pending', 'procs', 'fairness']);
// A name no phase answers to would skip that phase without a word (e.g. 'graphile' for 'graphile-worker').
const phaseNames = ['enqueue', 'http', 'drain1', 'drain2', 'pickup', 'bullmq', 'peers', 'pg-boss', 'graphile-worker', 'pending', 'procs', 'fairness'];
const unknownPhases = args.only ? args.only.split(',').filter((name) => !phaseNames.includes(name)) : [];
if (unknownPhases.length > 0) {
  console.error(`--only: no phase named ${unknownPhases.join(', ')} (phases: ${phaseNames.join(', ')})`);
  process.exit(2);
}

async function phase<T>(name: string, fn: () => Promise<T>, key: string, alias?: string): Promise<T | null> {
  if (only ? !only.has(key) && !(alias && only.has(alias)) : skipByDefault.has(key)) return null;
  try {
    return await fn();
  } catch (error) {
    notes.push(`${name}: ${(error as Error).message}`);
    log(`  ${name}: FAILED (${(error as Error).message})`);
    await stopAll();
    return null;
  }
}

const postgres = args.store === 'postgres';
const peersWanted = !args['skip-peers'];
const loadBefore = loadavg()[0];
log(`bench:queue on ${args.store}, ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(2)} (the machine may be shared)`);
const enqueue = await phase('enqueue via store', () => benchEnqueue({ jobs: enqueueJobs, withPlainjob: !postgres && peersWanted, postgres }), 'enqueue');
const enqueueStore = enqueue?.store ?? null;
const plainjob = enqueue?.plainjob ?? null;
const enqueueHttp = await phase('enqueue via HTTP', benchEnqueueHttp, 'http');
const drain1Run = await phase('drain, 1 process', () => benchDrain(1), 'drain1');
const drain2Run = await phase('drain, 2 processes', () => benchDrain(2), 'drain2');
const [drain1, drain2] = [drain1Run?.jobs_per_s ?? null, drain2Run?.jobs_per_s ?? null];
const pickupFigures = await phase('pickup latency', benchPickup, 'pickup');
const bullmqDefault = args['skip-bullmq'] ? null : await phase('BullMQ drain (defaults)', () => benchBullmq(notes, drainJobs, null), 'bullmq');
const bullmqSame = args['skip-bullmq'] ? null : await phase(`BullMQ drain (concurrency ${concurrency})`, () => benchBullmq(notes, drainJobs, concurrency), 'bullmq');
// On 2 cores one BullMQ process can drain faster than two: the goal is against its fastest here.
const bullmqOne = args['skip-bullmq'] ? null : await phase(`BullMQ drain (1 process, concurrency ${concurrency})`, () => benchBullmq(notes, drainJobs, concurrency, 1), 'bullmq');
const bullmqFastest = [bullmqDefault, bullmqSame, bullmqOne].reduce<number | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
const bullmqPickup = args['skip-bullmq'] ? null : await phase('BullMQ pickup latency', () => benchBullmqPickup(notes, pickupJobs), 'pickup');
const peerUrl = process.env.DATABASE_URL as string;
const peerProcesses = 2;
const pgBossRun = postgres && peersWanted ? await phase('pg-boss drain', () => benchPostgresPeer('pg-boss', peerUrl, drainJobs, peerProcesses, concurrency), 'peers', 'pg-boss') : null;
const graphileRun = postgres && peersWanted ? await phase('graphile-worker drain', () => benchPostgresPeer('graphile-worker', peerUrl, drainJobs, peerProcesses, concurrency), 'peers', 'graphile-worker') : null;
const [pgBoss, graphile] = [pgBossRun?.jobs_per_s ?? null, graphileRun?.jobs_per_s ?? null];
const pending = args.pending === undefined ? null
  : await phase(`${args.pending} pending`, () => benchPending(Number(args.pending), 2, concurrency), 'pending');
const procs = args.procs === undefined ? null
  : await phase(`${args.procs} worker processes`, () => {
    if (!postgres) throw new Error('--procs runs on PostgreSQL only (--store postgres)');
    return benchManyWorkers(Number(args.procs), Number(args['procs-concurrency']), drainJobs, pickupJobs, args['wake-all'] ? 'all' : 'targeted');
  }, 'procs');
const fairness = !args.fairness ? null
  : await phase('fairness', () => benchFairness(Number(args['fairness-jobs']), 2, concurrency), 'fairness');
const loadAfter = loadavg()[0];

const ratio = (a: number | null, b: number | null) => (a && b ? Math.round((a / b) * 100) / 100 : null);
const fasterPeer = pgBoss !== null || graphile !== null ? Math.max(pgBoss ?? 0, graphile ?? 0) : null;
const result = {
  store: args.store,
  enqueue_store_jobs_per_s: enqueueStore?.jobs_per_s ?? null,
  plainjob_enqueue_jobs_per_s: plainjob?.jobs_per_s ?? null,
  enqueue_vs_plainjob: ratio(enqueueStore?.jobs_per_s ?? null, plainjob?.jobs_per_s ?? null),
  // every call and the WAL's checkpoint after them (bench-enqueue.ts); SQLite only
  enqueue_store_sustained_jobs_per_s: enqueueStore?.sustained_jobs_per_s ?? null,
  plainjob_enqueue_sustained_jobs_per_s: plainjob?.sustained_jobs_per_s ?? null,
  enqueue_vs_plainjob_sustained: ratio(enqueueStore?.sustained_jobs_per_s ?? null, plainjob?.sustained_jobs_per_s ?? null),
  // per CPU second of this process (both run in it): what a shared machine's load blurs least
  enqueue_store_jobs_per_cpu_s: postgres ? null : enqueueStore?.jobs_per_cpu_s ?? null,
  plainjob_enqueue_jobs_per_cpu_s: plainjob?.jobs_per_cpu_s ?? null,
  enqueue_vs_plainjob_cpu: ratio(enqueueStore?.jobs_per_cpu_s ?? null, plainjob?.jobs_per_cpu_s ?? null),
  enqueue_http_jobs_per_s: enqueueHttp,
  drain_1proc_jobs_per_s: drain1,
  drain_2proc_jobs_per_s: drain2,
  pickup_p50_ms: pickupFigures?.p50 ?? null,
  pickup_p99_ms: pickupFigures?.p99 ?? null,
  pickup_enqueue_call_p50_ms: pickupFigures?.call_p50 ?? null,
  pickup_enqueue_call_p99_ms: pickupFigures?.call_p99 ?? null,
  pickup_after_enqueue_p50_ms: pickupFigures?.after_p50 ?? null,
  pickup_after_enqueue_p99_ms: pickupFigures?.after_p99 ?? null,
  bullmq_pickup_p50_ms: bullmqPickup?.p50 ?? null,
  bullmq_pickup_p99_ms: bullmqPickup?.p99 ?? null,
  bullmq_add_call_p50_ms: bullmqPickup?.call_p50 ?? null,
  bullmq_add_call_p99_ms: bullmqPickup?.call_p99 ?? null,
  bullmq_after_add_p50_ms: bullmqPickup?.after_p50 ?? null,
  bullmq_after_add_p99_ms: bullmqPickup?.after_p99 ?? null,
  bullmq_drain_jobs_per_s: bullmqDefault,
  bullmq_drain_same_concurrency_jobs_per_s: bullmqSame,
  drain2_vs_bullmq_defaults: ratio(drain2, bullmqDefault),
  drain2_vs_bullmq_same_concurrency: ratio(drain2, bullmqSame),
  bullmq_drain_one_process_same_concurrency_jobs_per_s: bullmqOne,
  drain2_vs_bullmq_fastest: ratio(drain2, bullmqFastest),
  pgboss_drain_jobs_per_s: pgBoss,
  graphile_drain_jobs_per_s: graphile,
  drain2_vs_faster_postgres_peer: ratio(drain2, fasterPeer),
  // CPU per 1,000 jobs of the workers, the bench process and the PostgreSQL server, WAL per job,
  // and cores / (server + workers) per job: the most any drain could do here (drain-run.ts).
  drain_costs: Object.fromEntries(Object.entries({ drain1: drain1Run, drain2: drain2Run, pgboss: pgBossRun, graphile: graphileRun })
    .filter(([, run]) => run !== null)),
  pending,
  procs,
  fairness,
  worker_concurrency: concurrency,
  drain_jobs: drainJobs,
  cpus: availableParallelism(),
  load_average_before: Math.round(loadBefore * 100) / 100,
  load_average_after: Math.round(loadAfter * 100) / 100,
  notes,
};

const met = (ok: boolean) => (ok ? 'met' : 'not met');
const rows: Array<[string, string, string]> = [];
if (enqueueStore !== null) {
  rows.push([`enqueue via store (${enqueueJobs / 1000}k bulk, median call)`, fmt(enqueueStore.jobs_per_s, 'jobs/s'),
    plainjob ? `${result.enqueue_vs_plainjob}x plainjob's median call (per CPU second ${result.enqueue_vs_plainjob_cpu}x)` : '']);
  if (plainjob !== null && enqueueStore.sustained_jobs_per_s !== null && plainjob.sustained_jobs_per_s !== null) {
    rows.push([`enqueue via store (${enqueueJobs / 1000}k bulk, sustained)`, fmt(enqueueStore.sustained_jobs_per_s, 'jobs/s'),
      `>= plainjob sustained (${result.enqueue_vs_plainjob_sustained}x, ${met(enqueueStore.sustained_jobs_per_s >= plainjob.sustained_jobs_per_s)})`]);
  }
}
if (plainjob !== null) {
  rows.push([`plainjob enqueue (${enqueueJobs / 1000}k addMany, median call)`, fmt(plainjob.jobs_per_s, 'jobs/s'), '']);
  if (plainjob.sustained_jobs_per_s !== null) rows.push([`plainjob enqueue (${enqueueJobs / 1000}k addMany, sustained)`, fmt(plainjob.sustained_jobs_per_s, 'jobs/s'), '']);
}
if (enqueueHttp !== null) rows.push(['enqueue via HTTP', fmt(enqueueHttp, 'jobs/s'), '']);
if (drain1 !== null) rows.push(['drain, 1 worker process', fmt(drain1, 'jobs/s'), '']);
if (drain2 !== null) {
  const goal = postgres
    ? (fasterPeer === null ? ''
      // Against one peer only (the other skipped or failed) the verdict would flatter: say so instead.
      : pgBoss === null || graphile === null ? `${result.drain2_vs_faster_postgres_peer}x ${pgBoss === null ? 'graphile-worker' : 'pg-boss'} (partial: only it ran, no verdict)`
      : `>= 3x the faster peer (${result.drain2_vs_faster_postgres_peer}x, ${met(drain2 >= 3 * fasterPeer)})`)
    : (bullmqFastest ? `>= 2x BullMQ's fastest below (${result.drain2_vs_bullmq_fastest}x, ${met(drain2 >= 2 * bullmqFastest)}); ${result.drain2_vs_bullmq_defaults ?? 'n/a'}x its defaults` : '');
  rows.push(['drain, 2 worker processes', fmt(drain2, 'jobs/s'), goal]);
  if (drain1 !== null) rows.push(['  two processes beat one', `${ratio(drain2, drain1)}x`, met(drain2 > drain1)]);
}
if (pickupFigures) {
  rows.push(['pickup p50', fmt(pickupFigures.p50, 'ms'), '']);
  rows.push(['pickup p99', fmt(pickupFigures.p99, 'ms'),
    `<= 20 ms (${met(pickupFigures.p99 <= 20)})${bullmqPickup ? `; <= BullMQ's ${bullmqPickup.p99} ms (${met(pickupFigures.p99 <= bullmqPickup.p99)})` : ''}`]);
  rows.push(['  of which the enqueue call p50 / p99', `${pickupFigures.call_p50} / ${pickupFigures.call_p99} ms`, '']);
  rows.push(['  its return to handler start p50 / p99', `${pickupFigures.after_p50} / ${pickupFigures.after_p99} ms`, '']);
}
if (bullmqDefault !== null) rows.push(['BullMQ drain, 2 processes, defaults', fmt(bullmqDefault, 'jobs/s'), '']);
if (bullmqPickup) {
  rows.push(['BullMQ pickup p50 / p99, 1 idle process', `${bullmqPickup.p50} / ${bullmqPickup.p99} ms`, '']);
  rows.push(['  of which queue.add p50 / p99', `${bullmqPickup.call_p50} / ${bullmqPickup.call_p99} ms`, '']);
  rows.push(['  its return to handler start p50 / p99', `${bullmqPickup.after_p50} / ${bullmqPickup.after_p99} ms`, '']);
}
if (bullmqSame !== null) rows.push([`BullMQ drain, 2 processes, concurrency ${concurrency}`, fmt(bullmqSame, 'jobs/s'), '']);
if (bullmqOne !== null) rows.push([`BullMQ drain, 1 process, concurrency ${concurrency}`, fmt(bullmqOne, 'jobs/s'), '']);
if (pgBoss !== null) {
  const subscriptions = pgBossSubscriptions(concurrency);
  rows.push([`pg-boss drain, ${peerProcesses} processes`, fmt(pgBoss, 'jobs/s'),
    `${subscriptions} batch subscriptions of ${peerSettings.pgBoss.batchSize} per process, each fetching again at once after a full batch`]);
}
if (graphile !== null) {
  rows.push([`graphile-worker drain, ${peerProcesses} processes`, fmt(graphile, 'jobs/s'),
    `localQueue ${peerSettings.graphile.localQueue}, completes batched (its pool-size warning above is expected)`]);
}
if (pending) {
  const n = pending.pending.toLocaleString('en-US');
  rows.push([`enqueue ${n}`, fmt(pending.enqueue_ms, 'ms'), `<= 20,000 ms (${met(pending.enqueue_ms <= 20_000)})`]);
  rows.push([`claim p50 / p99, ${n} pending`, `${pending.claim_p50_ms} / ${pending.claim_p99_ms} ms`, `p99 <= 20 ms (${met(pending.claim_p99_ms <= 20)})`]);
  rows.push([`status poll p50, ${n} pending`, fmt(pending.status_poll_p50_ms, 'ms'), `<= 10 ms (${met(pending.status_poll_p50_ms <= 10)})`]);
  rows.push([`drain, 2 processes, ${n} pending`, fmt(pending.drain_jobs_per_s, 'jobs/s'), '']);
}
if (procs) {
  rows.push([`drain, ${procs.processes} worker processes`, fmt(procs.drain_jobs_per_s, 'jobs/s'), '']);
  rows.push([`pickup p99, ${procs.processes} idle workers (wake ${procs.wake})`, fmt(procs.pickup_p99_ms, 'ms'), `<= 20 ms (${met(procs.pickup_p99_ms <= 20)})`]);
  rows.push([`CPU per pickup job, workers / server`, `${procs.pickup_worker_cpu_ms_per_job ?? '-'} / ${procs.pickup_server_cpu_ms_per_job ?? '-'} ms`, '']);
  rows.push([`  above idle, workers / server`, `${procs.pickup_worker_cpu_above_idle_ms_per_job ?? '-'} / ${procs.pickup_server_cpu_above_idle_ms_per_job ?? '-'} ms`, '']);
  rows.push([`worker connections, ${procs.processes} processes`,
    procs.connections_max === null ? 'n/a' : `${procs.connections_max} (${procs.connections_per_process}/proc)`,
    procs.connections_verdict === null ? 'needs Linux /proc'
      : `<= 2 pooled + 1 LISTEN per process (at most ${procs.pool_connections_per_process_max} + ${procs.listen_connections_per_process_max}, ${procs.connections_verdict})`]);
}
for (const [name, run] of [['drain, 1 process', drain1Run], ['drain, 2 processes', drain2Run], ['pg-boss', pgBossRun], ['graphile-worker', graphileRun]] as const) {
  if (!run?.server) continue;
  const cpu = run.server.cpu_ms_per_1000;
  rows.push([`${name}: CPU ms / 1,000 jobs, server / workers`, `${cpu?.drain ?? 'n/a'} / ${run.worker_cpu_ms_per_1000 ?? 'n/a'}`,
    cpu === null ? `server: could not be measured (${run.server.cpu_unmeasured})`
      : `at most ${fmt(run.bound_jobs_per_s, 'jobs/s')} on ${result.cpus} cores; bench process ${run.bench_cpu_ms_per_1000}; left out: others' backends ${cpu.others}, exited ${cpu.exited}, unknown ${cpu.unknown}`]);
  rows.push([`${name}: WAL per job`, run.server.wal_bytes_per_job === null ? 'n/a' : fmt(run.server.wal_bytes_per_job, 'bytes'),
    cpu !== null && cpu.others + cpu.exited + cpu.unknown > 0 ? 'the server\'s: other clients wrote meanwhile' : '']);
}
if (fairness) {
  rows.push([`10-job dataset behind ${fairness.big_jobs.toLocaleString('en-US')}`, fmt(fairness.small_finish_ms, 'ms'), '']);
  rows.push(['priority-1 edit behind both', fmt(fairness.edit_finish_ms, 'ms'), '']);
}
log('');
for (const [what, value, goal] of rows) log(`${what.padEnd(44)} ${value.padStart(16)}   ${goal}`);
log(`load average ${result.load_average_before} -> ${result.load_average_after} on ${result.cpus} CPUs; worker concurrency ${concurrency}`);
for (const note of notes) log(`note: ${note}`);
if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

function fmt(value: number | null, unit: string): string {
  return value === null ? 'n/a' : `${value.toLocaleString('en-US')} ${unit}`;
}
