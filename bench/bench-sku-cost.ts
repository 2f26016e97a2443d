/**
 * CPU per 36-point monthly SKU for all default models with cross-validation, through the app's
 * own path (forecastSku: the dataset defaults, the worker's job input, runForecast per model, the
 * choice). The series are the last 36 months of M3 monthly training series, evenly sampled.
 * Prints process CPU (user+system, process.cpuUsage) per SKU, and per model, after a warm-up.
 *
 * --months N cuts the monthly series to their last N months instead of 36 (48: the bench:e2e SKU).
 *
 * Usage: npm run bench:sku-cost -- [--skus N] [--frequency monthly|quarterly] [--months N] [--cold] [--json]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultDatasetSettings } from '../src/datasets/dataset-settings.js';
import { runForecast } from '../src/forecasting/index.js';
import type { Job } from '../src/queue/job.js';
import { forecastInputFor } from '../src/worker/forecast-input.js';
import { datesFor, forecastSku, plannerHistory, type M3Series } from './planner-sku.js';

function parseArgs(argv: string[]) {
  const opts = { skus: 200, frequency: 'monthly' as 'monthly' | 'quarterly', months: 36, json: false, cold: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--skus') opts.skus = Number(argv[++i]);
    else if (a === '--frequency') opts.frequency = argv[++i] as 'monthly' | 'quarterly';
    else if (a === '--months') opts.months = Number(argv[++i]);
    else if (a === '--json') opts.json = true;
    else if (a === '--cold') opts.cold = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.skus) || opts.skus < 1) throw new Error('--skus must be a positive integer');
  if (!Number.isInteger(opts.months) || opts.months < 1) throw new Error('--months must be a positive integer');
  if (opts.frequency !== 'monthly' && opts.frequency !== 'quarterly') throw new Error('--frequency must be monthly or quarterly');
  return opts;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const file = fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
  const want = opts.frequency === 'monthly' ? 12 : 4;
  let series = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as M3Series).filter((s) => s.frequency === want);
  const step = series.length / Math.min(opts.skus, series.length);
  series = Array.from({ length: Math.min(opts.skus, series.length) }, (_, i) => series[Math.floor(i * step)]);
  const histories = series.map((s) => ({ s, ...plannerHistory(s, opts.months) }));

  // Warm-up, as a worker thread is after its first jobs: the JIT compiles the hot loops on the
  // first few SKUs. --cold counts them (a fresh process: what a one-off script measures).
  if (!opts.cold) for (const h of histories.slice(0, 20)) forecastSku(h.s.id, h.train, h.frequency, h.s.horizon, undefined);

  const load0 = loadavg();
  const c0 = process.cpuUsage();
  for (const h of histories) forecastSku(h.s.id, h.train, h.frequency, h.s.horizon, undefined);
  const total = cpuMs(process.cpuUsage(c0)) / histories.length;

  // Per model: the same job input the worker builds, runForecast alone.
  const perModel: Record<string, number> = {};
  for (const modelId of defaultDatasetSettings(opts.frequency).models) {
    const c1 = process.cpuUsage();
    for (const h of histories) {
      const settings = { ...defaultDatasetSettings(h.frequency), horizon: h.s.horizon };
      const job = { id: 1, sku: h.s.id, datasetId: 'bench', modelId, method: settings.method, settings: { ...settings, frequency: h.frequency } } as unknown as Job;
      const rec = { datasetId: 'bench', sku: h.s.id, dates: datesFor(h.train.length, h.frequency), original: h.train, edits: {}, length: h.train.length, volume: 0, demandClass: 'smooth', updatedAt: 0 };
      try { runForecast(forecastInputFor(job, rec as never)); } catch { /* counted as its cost all the same */ }
    }
    perModel[modelId] = cpuMs(process.cpuUsage(c1)) / histories.length;
  }
  const n = opts.frequency === 'monthly' ? opts.months : 12;
  console.log(`sku cost: ${histories.length} ${opts.frequency} SKUs of ${n} points${opts.cold ? ' (cold: no warm-up)' : ''}, all default models with CV and the choice: ${total.toFixed(2)} ms CPU per SKU (issue 10's goal: <= 30 for 36 points; its bench:e2e goal, 117 s on 2 cores for 10,000 48-month SKUs, leaves 23.4 ms of all CPU, main thread included)`);
  console.log(`per model (runForecast): ${Object.entries(perModel).map(([m, v]) => `${m} ${v.toFixed(2)}`).join(', ')} ms`);
  console.log(`load average before: ${load0.map((x) => x.toFixed(2)).join(' ')}, after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (opts.json) console.log(JSON.stringify({ skus: histories.length, frequency: opts.frequency, points: n, ms_per_sku: total, per_model: perModel, loadavg: loadavg() }));
}

main();
