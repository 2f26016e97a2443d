/**
 * M3 benchmark: runs the public engine (runForecast) on every series of data/m3/m3.jsonl with a
 * pool of worker threads (one per core) and prints sMAPE and MASE per M3 category, the CPU cost
 * per series, and how often the test values fall inside the 80% and 95% intervals.
 *
 * Usage: npm run bench:m3 -- [--model ensemble] [--method mle] [--limit N] [--json] [--data FILE] [--threads N]
 *   --limit N   an evenly spaced sample of N series (all categories stay represented)
 *   --json      also print one JSON object on the last line
 * Scores: sMAPE per M3 (mean over the horizon of 200|y-f|/(|y|+|f|), then over series); MASE with
 * the in-sample MAE of the seasonal naive at lag = the series' frequency. The engine never sees
 * the test values: holdout 0, horizon = the series' M3 horizon.
 * CPU: ms_per_series is the process's user+system CPU (all threads, including start-up and JIT)
 * divided by the number of series; busy_ms_per_series is the wall time spent inside runForecast
 * per series, summed over the threads (Node 20 has no per-thread CPU clock).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { runForecast } from '../src/forecasting/index.js';
import type { Frequency, MethodId } from '../src/forecasting/index.js';
import { mase, smape } from '../src/forecasting/metrics.js';

interface M3Series {
  id: string;
  category: string;
  period: string;
  frequency: number;
  horizon: number;
  train: number[];
  test: number[];
}

interface SeriesScore {
  id: string;
  period: string;
  smape: number;
  mase: number | null;
  inside80: number;
  inside95: number;
  points: number;
  ms: number;
  error?: string;
}

interface Task {
  series: M3Series[];
  model: string;
  method: MethodId;
}

const FREQUENCY: Record<number, Frequency> = { 1: 'yearly', 4: 'quarterly', 12: 'monthly', 52: 'weekly', 7: 'daily' };

function scoreSeries(s: M3Series, model: string, method: MethodId): SeriesScore {
  const started = performance.now();
  try {
    const r = runForecast({
      sku: s.id,
      values: s.train,
      frequency: FREQUENCY[s.frequency] ?? 'yearly',
      modelId: model,
      method,
      settings: { horizon: s.horizon, holdout: 0, metric: 'smape', intervalLevels: [80, 95] },
    });
    const ms = performance.now() - started;
    const f = r.forecast.mean;
    const band = (level: number) => r.forecast.intervals.find((b) => b.level === level);
    const inside = (level: number) => {
      const b = band(level);
      if (!b) return 0;
      let k = 0;
      for (let i = 0; i < s.test.length; i++) if (s.test[i] >= b.lower[i] && s.test[i] <= b.upper[i]) k++;
      return k;
    };
    return {
      id: s.id, period: s.period, smape: smape(s.test, f), mase: mase(s.test, f, s.train, s.frequency),
      inside80: inside(80), inside95: inside(95), points: s.test.length, ms,
    };
  } catch (e) {
    return { id: s.id, period: s.period, smape: Number.NaN, mase: null, inside80: 0, inside95: 0, points: s.test.length, ms: performance.now() - started, error: String(e) };
  }
}

function workerMain(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (task: Task | null) => {
    if (task === null) { port.close(); return; }
    port.postMessage(task.series.map((s) => scoreSeries(s, task.model, task.method)));
  });
}

function parseArgs(argv: string[]) {
  const opts = { model: 'ensemble', method: 'mle' as MethodId, limit: 0, json: false, data: '', threads: availableParallelism() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--model') opts.model = next();
    else if (a === '--method') opts.method = next() as MethodId;
    else if (a === '--limit') opts.limit = Number(next());
    else if (a === '--json') opts.json = true;
    else if (a === '--data') opts.data = next();
    else if (a === '--threads') opts.threads = Math.max(1, Number(next()));
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const CATEGORIES = ['yearly', 'quarterly', 'monthly', 'other'] as const;

function categoryOf(period: string): (typeof CATEGORIES)[number] {
  const p = period.toLowerCase();
  return (CATEGORIES as readonly string[]).includes(p) ? (p as (typeof CATEGORIES)[number]) : 'other';
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const file = opts.data || fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
  let series: M3Series[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as M3Series);
  if (opts.limit > 0 && opts.limit < series.length) {
    const step = series.length / opts.limit;
    series = Array.from({ length: opts.limit }, (_, i) => series[Math.floor(i * step)]);
  }
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const chunk = 8;
  const tasks: Task[] = [];
  for (let i = 0; i < series.length; i += chunk) tasks.push({ series: series.slice(i, i + chunk), model: opts.model, method: opts.method });
  const scores: SeriesScore[] = [];
  const threads = Math.min(opts.threads, tasks.length);
  await Promise.all(Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'bench-m3-worker' } });
    const feed = () => worker.postMessage(tasks.shift() ?? null);
    worker.on('message', (result: SeriesScore[]) => { scores.push(...result); feed(); });
    worker.on('error', reject);
    worker.on('exit', () => resolve());
    feed();
  })));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;

  const failed = scores.filter((s) => s.error !== undefined);
  const ok = scores.filter((s) => s.error === undefined && Number.isFinite(s.smape));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const smapeBy: Record<string, number> = {};
  const maseBy: Record<string, number> = {};
  const countBy: Record<string, number> = {};
  for (const c of [...CATEGORIES, 'all'] as const) {
    const sel = c === 'all' ? ok : ok.filter((s) => categoryOf(s.period) === c);
    countBy[c] = sel.length;
    smapeBy[c] = mean(sel.map((s) => s.smape));
    maseBy[c] = mean(sel.flatMap((s) => (s.mase === null ? [] : [s.mase])));
  }
  const points = ok.reduce((a, s) => a + s.points, 0);
  const coverage80 = ok.reduce((a, s) => a + s.inside80, 0) / points;
  const coverage95 = ok.reduce((a, s) => a + s.inside95, 0) / points;
  const msPerSeries = (cpu.user + cpu.system) / 1000 / scores.length;
  const busyPerSeries = scores.reduce((a, s) => a + s.ms, 0) / scores.length;

  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  console.log(`M3 benchmark: model=${opts.model} method=${opts.method} series=${scores.length} threads=${threads} file=${file}`);
  console.log('category    series   sMAPE    MASE');
  for (const c of [...CATEGORIES, 'all'] as const) {
    console.log(`${c.padEnd(10)} ${String(countBy[c]).padStart(7)} ${f2(smapeBy[c]).padStart(7)} ${f2(maseBy[c]).padStart(7)}`);
  }
  console.log(`coverage: 80% interval ${(coverage80 * 100).toFixed(1)}%, 95% interval ${(coverage95 * 100).toFixed(1)}% of ${points} test values`);
  console.log(`cost: ${msPerSeries.toFixed(2)} ms process CPU per series (all threads), ${busyPerSeries.toFixed(2)} ms busy in runForecast per series, wall ${(wall / 1000).toFixed(1)} s`);
  if (failed.length > 0) console.log(`failed: ${failed.length} series, e.g. ${failed[0].id}: ${failed[0].error}`);
  if (opts.json) {
    console.log(JSON.stringify({
      series: ok.length, model: opts.model, method: opts.method, failed: failed.length,
      smape: Object.fromEntries([...CATEGORIES, 'all'].map((c) => [c, smapeBy[c]])),
      mase: Object.fromEntries([...CATEGORIES, 'all'].map((c) => [c, maseBy[c]])),
      ms_per_series: msPerSeries, busy_ms_per_series: busyPerSeries, coverage80, coverage95,
    }));
  }
  if (failed.length > 0) process.exitCode = 1;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'bench-m3-worker') workerMain();
else if (isMainThread) await main();
