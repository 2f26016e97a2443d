/**
 * Writes, or compares against a file written by another build, runForecast's full results (the
 * forecasts, intervals, holdout, cross-validation forecasts and metrics, interval scales, fit,
 * parameters and warnings; everything but the elapsed milliseconds) for every default model on a
 * sample of M3 series, through the worker's job input with the dataset defaults: the check that a
 * speed change to the engine changes no output. The sample: monthly cut to the planner's 36 months
 * and to the e2e sample's 48, monthly in full, quarterly cut to 12 and in full, yearly in full.
 *
 * Usage (build first: npm run build:server):
 *   node dist/bench/engine-outputs.js --write FILE [--every N]    on the reference build (main)
 *   node dist/bench/engine-outputs.js --compare FILE [--every N]  on the changed build
 * --compare prints how many numbers are bit-identical and the largest relative difference, and
 * exits 1 where any number differs by more than 1e-9 relative or anything else differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultDatasetSettings } from '../src/datasets/dataset-settings.js';
import { runForecast, type Frequency } from '../src/forecasting/index.js';
import type { Job } from '../src/queue/job.js';
import { forecastInputFor } from '../src/worker/forecast-input.js';
import { datesFor, type M3Series } from './planner-sku.js';

const TOLERANCE = 1e-9;

function parseArgs(argv: string[]) {
  const opts = { write: '', compare: '', every: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--write') opts.write = argv[++i] ?? '';
    else if (a === '--compare') opts.compare = argv[++i] ?? '';
    else if (a === '--every') opts.every = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if ((opts.write === '') === (opts.compare === '')) throw new Error('give one of --write FILE or --compare FILE');
  if (!Number.isInteger(opts.every) || opts.every < 1) throw new Error('--every must be a positive integer');
  return opts;
}

interface Case { id: string; frequency: Frequency; values: number[]; horizon: number }

function sample(every: number): Case[] {
  const file = fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
  const all = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as M3Series);
  const pick = (f: number) => all.filter((s) => s.frequency === f).filter((_, i) => i % every === 0);
  const cut = (s: M3Series, keep: number) => s.train.slice(Math.max(0, s.train.length - keep));
  const out: Case[] = [];
  for (const s of pick(12)) {
    out.push({ id: `${s.id}/36`, frequency: 'monthly', values: cut(s, 36), horizon: s.horizon });
    out.push({ id: `${s.id}/48`, frequency: 'monthly', values: cut(s, 48), horizon: s.horizon });
  }
  // The full histories cost several times more: every other one of the sample.
  for (const s of pick(12).filter((_, i) => i % 2 === 0)) out.push({ id: `${s.id}/full`, frequency: 'monthly', values: s.train, horizon: s.horizon });
  for (const s of pick(4)) {
    out.push({ id: `${s.id}/12`, frequency: 'quarterly', values: cut(s, 12), horizon: s.horizon });
    out.push({ id: `${s.id}/full`, frequency: 'quarterly', values: s.train, horizon: s.horizon });
  }
  for (const s of pick(1)) out.push({ id: `${s.id}/full`, frequency: 'yearly', values: s.train, horizon: s.horizon });
  return out;
}

function outputs(c: Case): Record<string, unknown> {
  const settings = { ...defaultDatasetSettings(c.frequency), horizon: c.horizon };
  const rec = { datasetId: 'eq', sku: c.id, dates: datesForFrequency(c.values.length, c.frequency), original: c.values, edits: {}, length: c.values.length, volume: 0, demandClass: 'smooth', updatedAt: 0 };
  const byModel: Record<string, unknown> = {};
  settings.models.forEach((modelId, k) => {
    const job = { id: k + 1, sku: c.id, datasetId: 'eq', modelId, method: settings.method, settings: { ...settings, frequency: c.frequency } } as unknown as Job;
    try {
      const r = runForecast(forecastInputFor(job, rec as never));
      byModel[modelId] = { ...r, search: { candidatesEvaluated: r.search.candidatesEvaluated } };
    } catch (e) {
      byModel[modelId] = { error: e instanceof Error ? e.message : String(e) };
    }
  });
  return byModel;
}

function datesForFrequency(n: number, frequency: Frequency): string[] {
  if (frequency !== 'yearly') return datesFor(n, frequency);
  return Array.from({ length: n }, (_, i) => `${1990 + i}-01-01`);
}

interface Tally { numbers: number; identical: number; maxRel: number; where: string; problems: string[] }

function compare(a: unknown, b: unknown, path: string, t: Tally): void {
  if (typeof a === 'number' && typeof b === 'number') {
    t.numbers++;
    if (Object.is(a, b)) { t.identical++; return; }
    const rel = Math.abs(a - b) / Math.max(1, Math.abs(b));
    if (!(rel <= TOLERANCE)) t.problems.push(`${path}: ${a} vs reference ${b}`);
    if (!(rel <= t.maxRel)) { t.maxRel = rel; t.where = path; }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) { t.problems.push(`${path}: length ${a.length} vs reference ${b.length}`); return; }
    a.forEach((v, i) => compare(v, b[i], `${path}[${i}]`, t));
    return;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, t);
    return;
  }
  if (a !== b) t.problems.push(`${path}: ${JSON.stringify(a)} vs reference ${JSON.stringify(b)}`);
}

// JSON keeps NaN and infinities as null: compared after the same round trip on both sides.
/**
 * Through JSON as the file holds it, with what JSON would lose kept as tagged strings: NaN and
 * the infinities (JSON writes null) and -0 (JSON writes 0). A change that turns a rejected NaN
 * into Infinity, or flips the sign of a zero, then shows as a difference instead of passing as
 * identical. (A reference file written before this spelling differs from it at each such value.)
 */
const keepSpecial = (_key: string, v: unknown): unknown => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
  ? `#number:${Object.is(v, -0) ? '-0' : String(v)}` : v);
const roundTrip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, keepSpecial));

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const cases = sample(opts.every);
  const c0 = process.cpuUsage();
  const results: Record<string, unknown> = {};
  for (const c of cases) results[c.id] = roundTrip(outputs(c));
  const cpu = process.cpuUsage(c0);
  const counts = cases.reduce<Record<string, number>>((m, c) => ({ ...m, [c.frequency]: (m[c.frequency] ?? 0) + 1 }), {});
  console.log(`${cases.length} histories (${Object.entries(counts).map(([f, k]) => `${k} ${f}`).join(', ')}), ${defaultDatasetSettings('monthly').models.length} default models each; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
  if (opts.write) {
    writeFileSync(opts.write, JSON.stringify({ every: opts.every, results }));
    console.log(`written to ${opts.write}`);
    return;
  }
  const ref = JSON.parse(readFileSync(opts.compare, 'utf8')) as { every: number; results: Record<string, unknown> };
  if (ref.every !== opts.every) throw new Error(`the reference was written with --every ${ref.every}`);
  const t: Tally = { numbers: 0, identical: 0, maxRel: 0, where: '', problems: [] };
  compare(results, ref.results, 'results', t);
  console.log(`${t.numbers} numbers: ${t.identical} bit-identical, largest relative difference ${t.maxRel.toExponential(2)}${t.where ? ` (${t.where})` : ''}`);
  if (t.problems.length > 0) {
    console.log(`${t.problems.length} differences beyond ${TOLERANCE} relative (or not numbers):`);
    for (const p of t.problems.slice(0, 20)) console.log(`  ${p}`);
    process.exitCode = 1;
  } else {
    console.log(`no difference beyond ${TOLERANCE} relative`);
  }
}

main();
