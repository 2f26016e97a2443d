/**
 * M3 benchmark on the 3,003 full M3 series, on a pool of worker threads (one per core). Two modes:
 *
 * - choice (the default, the headline figure): what a planner who uploads a series' whole M3
 *   training history is shown for it. Each series goes through the app's own path (forecastSku in
 *   planner-sku.ts: the dataset defaults for its frequency with only the horizon set to the
 *   competition's, the job input the worker builds, the worker's entry for every default model,
 *   then forecastItem's choice by the default rule). Prints sMAPE and MASE of that choice by M3
 *   category, its 80%/95% interval coverage and its CPU per series by category, beside each
 *   default model as the app runs it; then, in a second pass, the ensemble alone as the model
 *   mode runs it (unless --choice-only).
 * - model (--model ID): one model alone through runForecast with holdout 0 (no cross-validation,
 *   the model's own intervals), as this bench measured before the choice mode existed.
 *
 * Usage: npm run bench:m3 -- [--model ID] [--method mle] [--choice-only] [--limit N] [--json] [--data FILE] [--threads N]
 *   --method    the one-model runs' tuning method (default mle); the choice always runs with the
 *               dataset default (grid), as the app does
 *   --limit N   an evenly spaced sample of N series (all categories stay represented)
 *   --json      also print one JSON object on the last line
 * M3 frequency 1/4/12 -> yearly/quarterly/monthly in both modes; "other" (frequency 1: series of
 * other or unstated frequency, treated by the competition as non-seasonal) runs as yearly, the app's only frequency without a
 * season (period 1), with the yearly defaults (holdout 4).
 * Scores: sMAPE per M3 (mean over the horizon of 200|y-f|/(|y|+|f|), then over series); MASE with
 * the in-sample MAE of the seasonal naive at lag = the series' M3 frequency. The forecasts are made
 * from the id, the training values, the frequency and the horizon alone; the test values are read
 * only by score(), after the series' forecasts are made.
 * CPU: each category runs as its own pass of the pool, and its ms per series is the process's
 * user+system CPU over that pass (all threads, including JIT and GC; thread start-up lands in the
 * first pass) divided by its series. busy ms is the wall time inside the forecast per series,
 * summed over the threads (inflated when other processes share the cores; Node 20 has no
 * per-thread CPU clock).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isMethodId, type MethodId } from '../src/forecasting/index.js';
import { forecastM3, type M3Mode } from './m3-forecast.js';
import type { M3Series } from './planner-sku.js';
import { score, Tally, type Score } from './planner-score.js';

interface SeriesResult {
  id: string;
  period: string;
  /** Per forecast scored: "choice" and each default model (choice mode), "model" (model mode). */
  scores: Record<string, Score>;
  chosen: string | null;
  failures: Record<string, string>;
  ms: number;
  error?: string;
}

interface Task {
  series: M3Series[];
  mode: M3Mode;
  model: string;
  method: MethodId;
}

/** The Theta submission's own forecasts recomputed with this sMAPE (issue 10): the per-category goal. */
const THETA_ANCHORS = { yearly: 16.97, quarterly: 8.96, monthly: 13.89, other: 4.41 } as const;

const CATEGORIES = ['yearly', 'quarterly', 'monthly', 'other'] as const;
type Category = (typeof CATEGORIES)[number];

function categoryOf(period: string): Category {
  const p = period.toLowerCase();
  return (CATEGORIES as readonly string[]).includes(p) ? (p as Category) : 'other';
}

function scoreSeries(s: M3Series, task: Task): SeriesResult {
  const started = performance.now();
  const base = { id: s.id, period: s.period, chosen: null, failures: {} };
  try {
    // The forecasts from the training part alone (forecastM3's input type has no test values) ...
    const made = forecastM3({ id: s.id, period: s.period, frequency: s.frequency, horizon: s.horizon, train: s.train }, task.mode, task.model, task.method);
    const ms = performance.now() - started;
    // ... and only then the test values.
    const scores: Record<string, Score> = {};
    for (const [key, f] of Object.entries(made.forecasts)) scores[key] = score(f, s.test, s.train, s.frequency);
    return { ...base, scores, chosen: made.chosen, failures: made.failures, ms };
  } catch (e) {
    return { ...base, scores: {}, ms: performance.now() - started, error: String(e) };
  }
}

function workerMain(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (task: Task | null) => {
    if (task === null) { port.close(); return; }
    port.postMessage(task.series.map((s) => scoreSeries(s, task)));
  });
}

/** A fixed pool of worker threads; run() hands out chunks of series until every chunk is scored. */
class Pool {
  private readonly workers: Worker[];
  constructor(threads: number) {
    this.workers = Array.from({ length: threads }, () => new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'bench-m3-worker' } }));
  }
  run(tasks: Task[]): Promise<SeriesResult[]> {
    const queue = tasks.slice();
    const out: SeriesResult[] = [];
    return new Promise((resolve, reject) => {
      let busy = 0;
      const cleanup = () => this.workers.forEach((w) => { w.removeAllListeners('message'); w.removeAllListeners('error'); });
      const feed = (w: Worker) => {
        const t = queue.shift();
        if (t) { busy++; w.postMessage(t); }
        else if (busy === 0) { cleanup(); resolve(out); }
      };
      for (const w of this.workers) {
        w.on('message', (r: SeriesResult[]) => { busy--; out.push(...r); feed(w); });
        w.on('error', (e) => { cleanup(); reject(e); });
      }
      this.workers.forEach(feed);
      if (queue.length === 0 && busy === 0) { cleanup(); resolve(out); }
    });
  }
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => { w.once('exit', () => resolve()); w.postMessage(null); })));
  }
}

interface PassResult { results: SeriesResult[]; cpuMs: Record<Category | 'all', number>; busyMs: Record<Category | 'all', number>; wallS: number }

/** One pass of the pool per category, so each category's CPU is the process's CPU over its own pass. */
async function runPasses(pool: Pool, series: M3Series[], mode: M3Mode, model: string, method: MethodId): Promise<PassResult> {
  const results: SeriesResult[] = [];
  const cpuMs = {} as PassResult['cpuMs'];
  const busyMs = {} as PassResult['busyMs'];
  const wall0 = performance.now();
  let cpuTotal = 0;
  for (const c of CATEGORIES) {
    const mine = series.filter((s) => categoryOf(s.period) === c);
    const tasks: Task[] = [];
    for (let i = 0; i < mine.length; i += 8) tasks.push({ series: mine.slice(i, i + 8), mode, model, method });
    const cpu0 = process.cpuUsage();
    const got = await pool.run(tasks);
    const cpu = process.cpuUsage(cpu0);
    results.push(...got);
    cpuTotal += (cpu.user + cpu.system) / 1000;
    cpuMs[c] = mine.length ? (cpu.user + cpu.system) / 1000 / mine.length : Number.NaN;
    busyMs[c] = mine.length ? got.reduce((a, r) => a + r.ms, 0) / mine.length : Number.NaN;
  }
  cpuMs.all = cpuTotal / series.length;
  busyMs.all = results.reduce((a, r) => a + r.ms, 0) / series.length;
  return { results, cpuMs, busyMs, wallS: (performance.now() - wall0) / 1000 };
}

function tallyOf(results: SeriesResult[]): Tally {
  const tally = new Tally();
  for (const r of results) {
    if (r.error !== undefined) continue;
    for (const [key, s] of Object.entries(r.scores)) {
      if (!Number.isFinite(s.smape)) continue;
      tally.add(`${key}/${categoryOf(r.period)}`, s);
      tally.add(`${key}/all`, s);
    }
  }
  return tally;
}

function parseArgs(argv: string[]) {
  const opts = { model: '', method: 'mle' as MethodId, choiceOnly: false, limit: 0, json: false, data: '', threads: availableParallelism() };
  let methodGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const count = (min: number) => {
      const v = Number(next());
      if (!Number.isInteger(v) || v < min) throw new Error(`${a} must be an integer of at least ${min}`);
      return v;
    };
    if (a === '--model') opts.model = next();
    else if (a === '--method') {
      const m = next();
      if (!isMethodId(m)) throw new Error(`--method must be grid or mle, not '${m}'`);
      opts.method = m;
      methodGiven = true;
    } else if (a === '--choice-only') opts.choiceOnly = true;
    else if (a === '--limit') opts.limit = count(0);
    else if (a === '--json') opts.json = true;
    else if (a === '--data') opts.data = next();
    else if (a === '--threads') opts.threads = count(1);
    else throw new Error(`unknown option ${a}`);
  }
  if (opts.model && opts.choiceOnly) throw new Error('--model and --choice-only exclude each other');
  // The choice runs with the dataset default (grid), as the app does; --method is for the model runs.
  if (methodGiven && opts.choiceOnly) throw new Error('--method applies to the one-model runs only: the choice uses the dataset default (grid)');
  return opts;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : '-');
const keys = [...CATEGORIES, 'all'] as const;

function failuresOf(results: SeriesResult[]) {
  const failed = results.filter((r) => r.error !== undefined);
  if (failed.length > 0) console.log(`failed: ${failed.length} series, e.g. ${failed[0].id}: ${failed[0].error}`);
  return failed.length;
}

/** The model mode's report, as printed before the choice mode existed. */
function reportModel(pass: PassResult, model: string, method: MethodId, threads: number, file: string) {
  const tally = tallyOf(pass.results);
  const all = tally.summary('model/all');
  console.log(`M3 benchmark, one model alone (runForecast, holdout 0): model=${model} method=${method} series=${pass.results.length} threads=${threads} file=${file}`);
  console.log('category    series   sMAPE    MASE');
  for (const c of keys) {
    const s = tally.summary(`model/${c}`);
    console.log(`${c.padEnd(10)} ${String(s.series).padStart(7)} ${f2(s.smape).padStart(7)} ${f2(s.mase).padStart(7)}`);
  }
  const points = pass.results.reduce((a, r) => a + (r.scores.model?.points ?? 0), 0);
  console.log(`coverage: 80% interval ${pct(all.coverage80)}%, 95% interval ${pct(all.coverage95)}% of ${points} test values`);
  console.log(`cost: ${pass.cpuMs.all.toFixed(2)} ms process CPU per series (all threads), ${pass.busyMs.all.toFixed(2)} ms busy in runForecast per series, wall ${pass.wallS.toFixed(1)} s`);
  const failed = failuresOf(pass.results);
  return {
    series: all.series, model, method, failed,
    smape: Object.fromEntries(keys.map((c) => [c, tally.summary(`model/${c}`).smape])),
    mase: Object.fromEntries(keys.map((c) => [c, tally.summary(`model/${c}`).mase])),
    ms_per_series: pass.cpuMs.all, busy_ms_per_series: pass.busyMs.all, coverage80: all.coverage80, coverage95: all.coverage95,
  };
}

function reportChoice(pass: PassResult, threads: number, file: string) {
  const tally = tallyOf(pass.results);
  const models = [...new Set(pass.results.flatMap((r) => Object.keys(r.scores)))].filter((k) => k !== 'choice');
  const chosen: Record<string, number> = {};
  const modelFailures: Record<string, number> = {};
  for (const r of pass.results) {
    if (r.chosen) chosen[r.chosen] = (chosen[r.chosen] ?? 0) + 1;
    for (const m of Object.keys(r.failures)) modelFailures[m] = (modelFailures[m] ?? 0) + 1;
  }
  console.log(`M3 benchmark, the app's per-SKU choice (bench/planner-sku.ts forecastSku: dataset defaults with the M3 horizon, every default model with cross-validation, the default choice rule): series=${pass.results.length} threads=${threads} file=${file}`);
  console.log('M3 frequency 1/4/12 -> yearly/quarterly/monthly; "other" runs as yearly (no season, holdout 4)');
  console.log(`${'sMAPE'.padEnd(26)}${keys.map((c) => c.padStart(10)).join('')}${'MASE all'.padStart(10)}${'cov80'.padStart(7)}${'cov95'.padStart(7)}`);
  for (const key of ['choice', ...models]) {
    const all = tally.summary(`${key}/all`);
    const label = key === 'choice' ? 'choice (app)' : `${key} (app path)`;
    console.log(`${label.padEnd(26)}${keys.map((c) => f2(tally.summary(`${key}/${c}`).smape).padStart(10)).join('')}${f2(all.mase).padStart(10)}${pct(all.coverage80).padStart(7)}${pct(all.coverage95).padStart(7)}`);
  }
  console.log(`${'Theta submission'.padEnd(26)}${CATEGORIES.map((c) => f2(THETA_ANCHORS[c]).padStart(10)).join('')}`);
  console.log(`${'MASE choice'.padEnd(26)}${keys.map((c) => f2(tally.summary(`choice/${c}`).mase).padStart(10)).join('')}`);
  console.log(`${'CPU ms/series'.padEnd(26)}${keys.map((c) => f2(pass.cpuMs[c]).padStart(10)).join('')}   (process CPU per pass, all threads)`);
  console.log(`${'busy ms/series'.padEnd(26)}${keys.map((c) => f2(pass.busyMs[c]).padStart(10)).join('')}   (wall time in forecastSku, summed over threads)`);
  console.log(`chosen: ${Object.entries(chosen).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([m, k]) => `${m} ${k}`).join(', ')}${Object.keys(chosen).length > 8 ? `, ... (${Object.keys(chosen).length} combinations)` : ''}`);
  if (Object.keys(modelFailures).length > 0) console.log(`model failures (left out of the choice): ${JSON.stringify(modelFailures)}`);
  console.log(`wall ${pass.wallS.toFixed(1)} s`);
  const failed = failuresOf(pass.results);
  const by = (key: string) => {
    const all = tally.summary(`${key}/all`);
    return {
      smape: Object.fromEntries(keys.map((c) => [c, tally.summary(`${key}/${c}`).smape])),
      mase: Object.fromEntries(keys.map((c) => [c, tally.summary(`${key}/${c}`).mase])),
      coverage80: all.coverage80, coverage95: all.coverage95,
    };
  };
  return {
    series: tally.summary('choice/all').series, failed, ...by('choice'),
    ms_per_series: pass.cpuMs.all, ms_per_series_by_category: pass.cpuMs, busy_ms_per_series: pass.busyMs.all,
    chosen, model_failures: modelFailures,
    models: Object.fromEntries(models.map((m) => [m, by(m)])), theta_anchors: THETA_ANCHORS,
  };
}

async function main(): Promise<void> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench:m3: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
    return;
  }
  const file = opts.data || fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
  let series: M3Series[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as M3Series);
  if (opts.limit > 0 && opts.limit < series.length) {
    const step = series.length / opts.limit;
    series = Array.from({ length: opts.limit }, (_, i) => series[Math.floor(i * step)]);
  }
  const threads = Math.max(1, Math.min(opts.threads, Math.ceil(series.length / 8)));
  const pool = new Pool(threads);
  let json: Record<string, unknown>;
  let failed = 0;
  try {
    if (opts.model) {
      const m = reportModel(await runPasses(pool, series, 'model', opts.model, opts.method), opts.model, opts.method, threads, file);
      json = { mode: 'model', ...m };
      failed = m.failed;
    } else {
      const c = reportChoice(await runPasses(pool, series, 'choice', '', opts.method), threads, file);
      json = { mode: 'choice', ...c };
      failed = c.failed;
      if (!opts.choiceOnly) {
        console.log('');
        const m = reportModel(await runPasses(pool, series, 'model', 'ensemble', opts.method), 'ensemble', opts.method, threads, file);
        json.model_alone = m;
        failed += m.failed;
      }
    }
  } finally {
    await pool.close();
  }
  if (opts.json) console.log(JSON.stringify(json));
  if (failed > 0) process.exitCode = 1;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'bench-m3-worker') workerMain();
else if (isMainThread) await main();
