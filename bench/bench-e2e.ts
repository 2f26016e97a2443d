/**
 * `npm run bench:e2e [-- --skus N] [-- --file FILE] [-- --import-only] [-- --json] [-- --cpu-prof DIR] [-- --store postgres]`: the whole flow
 * at scale. Generates the sample catalogue at 10,000 SKUs x 48 months (or reads --file), imports
 * it through the same code as POST /api/datasets (timed, with the process's peak RSS), starts
 * `node server.js worker` processes that use every core with the default models, waits until the
 * batch drains, and prints import seconds, SKUs optimized per second and total minutes.
 * --no-jobs imports without queueing (the reader's and the series' memory alone).
 * --cpu-prof DIR runs the workers under `node --cpu-prof`: a .cpuprofile per thread in DIR.
 * --store postgres: the same on PostgreSQL (DATABASE_URL, default the local server's `test`
 * database), in a schema of its own dropped afterwards (kept with --keep); SQLite by default.
 */
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { cliArgs } from '../tests/support/cli-args.js';
import { performance } from 'node:perf_hooks';
import { importCsv } from '../src/datasets/import-dataset.js';
import { sampleCsvChunks } from '../src/datasets/sample-dataset.js';
import { openStore } from '../src/stores/open-store.js';
import type { Store } from '../src/stores/store.js';
import { createPostgresTestSchema } from '../src/stores/postgres/postgres-test-schema.js';
import { type SkucastProcess, startSkucast, stopAll } from '../tests/support/skucast-process.js';

const { values: args } = cliArgs('bench:e2e', {
  skus: { type: 'string', default: '10000' },
  months: { type: 'string', default: '48' },
  file: { type: 'string' },
  models: { type: 'string' },
  method: { type: 'string', default: 'grid' },
  processes: { type: 'string', default: '1' },
  concurrency: { type: 'string', default: String(availableParallelism()) },
  prefetch: { type: 'string' }, // the worker's --prefetch (default: the worker's own)
  'import-only': { type: 'boolean', default: false },
  'no-jobs': { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'cpu-prof': { type: 'string' }, // a directory: the workers run with --cpu-prof, one .cpuprofile per thread
  store: { type: 'string', default: 'sqlite' },
});

if (args.store !== 'sqlite' && args.store !== 'postgres') {
  console.error(`--store must be sqlite or postgres, got '${args.store}'`);
  process.exit(2);
}

/** User + system CPU seconds of a live process (Linux /proc; 0 elsewhere or once it is gone). */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The same split by thread: the main thread (tid = pid: claims, reads, hashes, settles, leases)
 * and every other live thread (the optimization threads, plus V8's and libuv's helpers). Threads
 * that already exited (a replaced optimization thread) count only in processCpuSeconds.
 */
function threadCpuSeconds(pid: number | undefined): { main: number; others: number } {
  const out = { main: 0, others: 0 };
  if (pid === undefined) return out;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (Number(tid) === pid) out.main += seconds;
      else out.others += seconds;
    } catch {
      // the thread exited between the listing and the read
    }
  }
  return out;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

async function writeSample(file: string, skus: number, months: number): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of sampleCsvChunks({ skus, months })) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'skucast-e2e-'));
  const dbPath = path.join(dir, 'e2e.db');
  const skus = Number(args.skus);
  let file = args.file;
  const totalStart = performance.now();
  if (!file) {
    file = path.join(dir, 'sales.csv');
    const t = performance.now();
    await writeSample(file, skus, Number(args.months));
    console.log(`generated ${skus} SKUs x ${args.months} months: ${mb(statSync(file).size)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  // The workers get the same database: the file, or the schema (the other variable blanked, so a
  // DATABASE_URL in the shell cannot send SQLite's workers to PostgreSQL, where they would wait for ever).
  const pgSchema = args.store === 'postgres'
    ? await createPostgresTestSchema(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test', 'e2e')
    : null;
  const storeEnv = pgSchema ? { DATABASE_URL: pgSchema.url, DATABASE_PATH: '' } : { DATABASE_PATH: dbPath, DATABASE_URL: '' };
  const cleanup = async () => {
    if (args.keep) return;
    rmSync(dir, { recursive: true, force: true });
    await pgSchema?.drop();
  };
  let opened: Store | undefined;
  try {
    opened = await openStore(pgSchema ? { databaseUrl: pgSchema.url } : { databasePath: dbPath });
    await opened.migrate();
  } catch (error) {
    await opened?.close();
    await cleanup();
    throw error;
  }
  const store = opened;
  console.log(`store: ${pgSchema ? `PostgreSQL, schema ${pgSchema.schema}` : `SQLite, ${dbPath}`}`);
  try {
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const outcome = await importCsv(store, createReadStream(file, { highWaterMark: 256 * 1024 }), {
      name: path.basename(file),
      models: args.models?.split(','),
      method: args.method,
      createJobs: !args['no-jobs'],
    });
    const importSeconds = (performance.now() - t0) / 1000;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    console.log(`import: ${importSeconds.toFixed(2)} s for ${mb(statSync(file).size)}: ${outcome.report.rows} rows, ${outcome.report.skus} SKUs, ` +
      `${outcome.jobsCreated} jobs (${outcome.jobsSkipped} skipped); RSS before ${mb(rssBefore)}, peak ${mb(peakRss)}`);
    const result: Record<string, number | string | null> = {
      skus: outcome.report.skus, rows: outcome.report.rows, file_mb: Math.round(statSync(file).size / 104857.6) / 10,
      import_seconds: Math.round(importSeconds * 100) / 100, peak_rss_mb: Math.round(peakRss / 104857.6) / 10,
      jobs: outcome.jobsCreated, optimize_seconds: null, worker_cpu_seconds: null, worker_cpu_ms_per_sku: null, worker_main_thread_ms_per_sku: null, skus_per_second: null, jobs_per_second: null, total_minutes: null, failed: null,
    };
    if (!args['import-only'] && outcome.enqueue) {
      const batchId = outcome.enqueue.batchId;
      const t1 = performance.now();
      const processes = Number(args.processes);
      const workers: SkucastProcess[] = [];
      const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'])}`] : [];
      for (let i = 0; i < processes; i++) {
        workers.push(startSkucast(`worker-${i}`, ['worker', '--concurrency', args.concurrency, ...(args.prefetch !== undefined ? ['--prefetch', args.prefetch] : [])], { ...storeEnv, LOG_LEVEL: 'warn' }, { stdout: 'ignore', keepLines: false, nodeArgs }));
      }
      console.log(`optimizing with ${processes} worker process(es) x ${args.concurrency} threads${args.prefetch !== undefined ? ` (prefetch ${args.prefetch})` : ''}, models ${outcome.dataset!.settings.models.join(', ')}`);
      let lastPrint = 0;
      for (;;) {
        const s = await store.summary({ batchId });
        const elapsed = (performance.now() - t1) / 1000;
        if (s.pending + s.running === 0) {
          result.failed = s.failed;
          break;
        }
        if (elapsed - lastPrint >= 10) {
          lastPrint = elapsed;
          const done = s.completed + s.failed;
          console.log(`  ${elapsed.toFixed(0)} s: ${done}/${s.total - s.cancelled} jobs, ${(done / elapsed).toFixed(1)} jobs/s`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      const optimizeSeconds = (performance.now() - t1) / 1000;
      // CPU the workers spent (all their threads), read before they stop: on a shared machine the
      // wall time says how busy the machine was, this says what the batch cost.
      const cpuSeconds = workers.reduce((a, w) => a + processCpuSeconds(w.child.pid), 0);
      const mainSeconds = workers.reduce((a, w) => a + threadCpuSeconds(w.child.pid).main, 0);
      result.worker_main_thread_ms_per_sku = Math.round((mainSeconds * 1000 / outcome.report.skus) * 10) / 10;
      result.worker_cpu_seconds = Math.round(cpuSeconds * 10) / 10;
      result.worker_cpu_ms_per_sku = Math.round((cpuSeconds * 1000 / outcome.report.skus) * 10) / 10;
      result.optimize_seconds = Math.round(optimizeSeconds * 10) / 10;
      result.skus_per_second = Math.round((outcome.report.skus / optimizeSeconds) * 100) / 100;
      result.jobs_per_second = Math.round((outcome.jobsCreated / optimizeSeconds) * 10) / 10;
      if (nodeArgs.length > 0) {
        // A profile is written only on a clean exit: SIGTERM (the worker drains an empty queue), not stopAll's SIGKILL.
        for (const w of workers) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
      }
      await stopAll();
    }
    result.total_minutes = Math.round(((performance.now() - totalStart) / 60000) * 100) / 100;
    console.log('');
    console.log(`import seconds          ${result.import_seconds}`);
    console.log(`peak RSS (import)       ${result.peak_rss_mb} MB`);
    if (result.optimize_seconds !== null) {
      console.log(`optimize seconds        ${result.optimize_seconds} (${result.jobs} jobs, ${result.failed} failed)`);
      console.log(`SKUs optimized / s      ${result.skus_per_second}`);
      console.log(`worker CPU              ${result.worker_cpu_seconds} s (${result.worker_cpu_ms_per_sku} ms per SKU, all threads); load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
      console.log(`  main thread           ${result.worker_main_thread_ms_per_sku} ms per SKU (claims, reads, hashes, settles, leases; the rest is the optimization threads and V8/libuv helpers)`);
      console.log(`jobs / s                ${result.jobs_per_second}`);
    }
    console.log(`total minutes           ${result.total_minutes}`);
    if (args.json) console.log(JSON.stringify(result));
  } finally {
    await stopAll();
    await store.close();
    await cleanup();
  }
}

await main();
