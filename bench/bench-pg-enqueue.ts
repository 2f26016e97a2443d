/**
 * `node dist/bench/bench-pg-enqueue.js [--calls 300] [--jobs 0] [--chunk 100000]` (DATABASE_URL=postgres://...):
 * what a PostgreSQL enqueue costs, on a store of one pooled connection in a fresh schema.
 * --calls: that many one-job enqueues one after another (a planner's edit, the first part of
 * pickup): wall p50/p99 of the call and CPU per call of this process and of the server backend
 * that ran it (read from /proc, so the database must be on this machine). --jobs: then that many
 * jobs enqueued in calls of --chunk (as bench:queue --pending does), wall and backend CPU per call.
 * CPU, not wall time, is the figure to compare on a shared machine (the guide's rule); the
 * backend's is in clock ticks (10 ms), summed over many calls.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPostgresStore } from '../src/stores/postgres/postgres-store.js';
import { createPostgresTestSchema } from '../src/stores/postgres/postgres-test-schema.js';
import { cliArgs } from '../tests/support/cli-args.js';
import { cpuMs, log, noopJobs, quantile, round2 } from './bench-support.js';

const { values: args } = cliArgs('bench-pg-enqueue', {
  calls: { type: 'string', default: '300' },
  jobs: { type: 'string', default: '0' },
  chunk: { type: 'string', default: '100000' },
});
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('DATABASE_URL=postgres://... is required');
  process.exit(2);
}
const ticksMs = 10; // USER_HZ is 100 on Linux
/** utime + stime of a process on this machine, in ms. */
const procCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * ticksMs;
};

const db = await createPostgresTestSchema(url, 'bench_pg_enqueue');
const admin = new pg.Client({ connectionString: url });
await admin.connect();
try {
  const store = await openPostgresStore(`${db.url}&connection_limit=1`);
  await store.migrate();
  await store.summary();
  const pids = (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`skucast:${db.schema}`])).rows;
  if (pids.length !== 1) throw new Error(`expected one backend for the store, found ${pids.length}`);
  const backend = pids[0].pid;
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  log(`load average before: ${load()}`);

  const calls = Number(args.calls);
  if (calls > 0) {
    const times: number[] = [];
    const c0 = cpuMs();
    const s0 = procCpuMs(backend);
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      await store.enqueue(noopJobs(1, `one${i}`), { batchId: `one-${i}`, supersede: false, reuse: false });
      times.push(performance.now() - t);
    }
    const serverMs = procCpuMs(backend) - s0;
    const clientMs = cpuMs() - c0;
    times.sort((a, b) => a - b);
    log(`${calls} one-job enqueues: call p50 ${round2(quantile(times, 0.5))} ms, p99 ${round2(quantile(times, 0.99))} ms; ` +
      `CPU per call: server backend ${round2(serverMs / calls)} ms, this process ${round2(clientMs / calls)} ms`);
  }

  const jobs = Number(args.jobs);
  const chunk = Number(args.chunk);
  if (jobs > 0) {
    let wall = 0;
    let server = 0;
    for (let i = 0; i < jobs; i += chunk) {
      const batch = noopJobs(Math.min(chunk, jobs - i), `p${i}`);
      const s0 = procCpuMs(backend);
      const t = performance.now();
      await store.enqueue(batch, { batchId: `pending-${i}` });
      const ms = performance.now() - t;
      const s = procCpuMs(backend) - s0;
      wall += ms;
      server += s;
      log(`  call ${i / chunk + 1}: ${batch.length} jobs in ${ms.toFixed(0)} ms, server backend CPU ${s} ms`);
    }
    log(`${jobs} jobs in calls of ${chunk}: ${(wall / 1000).toFixed(2)} s wall, ${(server / 1000).toFixed(2)} s server backend CPU`);
  }
  log(`load average after: ${load()}`);
  await store.close();
} finally {
  await admin.end();
  await db.drop();
}
