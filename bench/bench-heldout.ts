/**
 * The held-out check: the app's per-SKU choice on short histories from another competition, which
 * no engine decision has looked at, against R's forecast package on the same cut histories.
 * Each series goes through bench:planner's path (bench/planner-sku.ts: dataset defaults for its
 * frequency with the competition's horizon, the worker's forecastInputFor, runForecast per default
 * model, the app's forecastItem); R's ets, stlf, thetaf, snaive and auto.arima forecasts come from
 * bench/heldout-r.R on the same cut (last 36 months / 12 quarters / 104 weeks). Both are scored
 * with the same sMAPE and MASE (bench/planner-score.ts). Prints a table by frequency and whether
 * the choice beats the best R method; `--json` ends with one object.
 *
 * Usage: npm run bench:heldout -- --data FILE [--json] [--limit N] [--r-forecasts FILE] [--no-r] [--rule R]
 *   --data FILE         a held-out set written by `npm run heldout:data` (never committed; default
 *                       place ~/.cache/skucast/heldout/<name>.jsonl)
 *   --r-forecasts FILE  R's forecasts (default: beside the data, <data>.r-forecasts.json); made by
 *                       running bench/heldout-r.R when missing or cut differently; without Rscript
 *                       the bench says so and prints the app's figures only (exit 0; a failing
 *                       Rscript exits 1). The cache is keyed by the MD5 of the data file and of
 *                       bench/heldout-r.R, and by the cut.
 *   --rule R            a chooseForecast rule other than the default (diagnosis only: a rule
 *                       chosen on this set would no longer be held out from it)
 * A data line that is not a well-formed series stops the bench naming the line (exit 2).
 * The test values are read only by score(), after every forecast of the SKU is made.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChoiceRule } from '../src/forecasting/index.js';
import { HeldoutDataError, parseHeldoutSet } from './heldout-data.js';
import { forecastSku, plannerHistory, type M3Series, type SkuForecast } from './planner-sku.js';
import { score, Tally } from './planner-score.js';

const rMethods = ['ets', 'stlf', 'thetaf', 'snaive', 'auto.arima'] as const;
const frequencyNames: Record<number, string> = { 12: 'monthly', 4: 'quarterly', 52: 'weekly' };
const rules: readonly ChoiceRule[] = ['best', 'combos', 'anchor3w', 'anchor3wq', 'anchor3', 'top3', 'top2'];

interface RForecasts {
  data_md5?: string;
  script_md5?: string;
  cut: { months: number; quarters: number; weeks: number };
  r: string;
  forecast: string;
  ids: string[];
  failures: Record<string, number>;
  forecasts: Record<string, Record<string, number[] | null>>;
}

class UsageError extends Error {}

function parseArgs(argv: string[]) {
  const opts = { data: '', json: false, limit: 0, months: 36, quarters: 12, weeks: 104, rForecasts: '', noR: false, rule: undefined as ChoiceRule | undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const count = () => {
      const v = Number(next());
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`${a} must be a positive integer`);
      return v;
    };
    if (a === '--data') opts.data = next();
    else if (a === '--json') opts.json = true;
    else if (a === '--limit') opts.limit = count();
    else if (a === '--months') opts.months = count();
    else if (a === '--quarters') opts.quarters = count();
    else if (a === '--weeks') opts.weeks = count();
    else if (a === '--r-forecasts') opts.rForecasts = next();
    else if (a === '--no-r') opts.noR = true;
    else if (a === '--rule') {
      const r = next();
      if (!rules.includes(r as ChoiceRule)) throw new UsageError(`--rule must be one of ${rules.join(', ')}`);
      opts.rule = r as ChoiceRule;
    }
    else throw new UsageError(`unknown option ${a}`);
  }
  if (!opts.data) throw new UsageError('--data FILE is required: a held-out set written by `npm run heldout:data` (see docs/forecasting.md); none is committed');
  if (!existsSync(opts.data)) throw new UsageError(`--data ${opts.data}: no such file`);
  return opts;
}

type Opts = ReturnType<typeof parseArgs>;

/** R's forecasts for exactly these series and this cut, computing them with Rscript if needed. */
function rForecastsFor(opts: Opts, ids: string[], dataMd5: string): { r: RForecasts | null; note: string; failed: boolean } {
  const script = fileURLToPath(new URL('../../bench/heldout-r.R', import.meta.url));
  const scriptMd5 = existsSync(script) ? createHash('md5').update(readFileSync(script)).digest('hex') : '';
  if (opts.noR) return { r: null, note: 'R skipped (--no-r)', failed: false };
  const file = opts.rForecasts || `${opts.data.replace(/\.jsonl$/, '')}.r-forecasts.json`;
  // Keyed by the digests of the data and of the R script too: a set rewritten with the same ids, or
  // a changed script, must not reuse stale forecasts.
  const fits = (r: RForecasts) => r.data_md5 === dataMd5 && r.script_md5 === scriptMd5 && r.cut?.months === opts.months && r.cut?.quarters === opts.quarters && r.cut?.weeks === opts.weeks
    && Array.isArray(r.ids) && ids.every((id) => r.ids.includes(id));
  if (existsSync(file)) {
    let r: RForecasts | null = null;
    try {
      r = JSON.parse(readFileSync(file, 'utf8')) as RForecasts;
    } catch {
      console.log(`${file} is not readable JSON: recomputing it`);
    }
    if (r && fits(r)) return { r, note: `R ${r.r}, forecast ${r.forecast} (${file})`, failed: false };
  }
  const probe = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
  if (probe.error) return { r: null, note: 'Rscript not found: R\'s figures are not computed (install R with the forecast and jsonlite packages); the app\'s figures only', failed: false };
  console.log(`computing R's forecasts: Rscript ${script} (a few minutes: auto.arima and ets on every series) ...`);
  const run = spawnSync('Rscript', [script, '--data', opts.data, '--out', file, '--months', String(opts.months), '--quarters', String(opts.quarters), '--weeks', String(opts.weeks)],
    { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (run.status !== 0 || !existsSync(file)) {
    return { r: null, note: `Rscript failed (exit ${run.status}): ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`, failed: true };
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as RForecasts;
  if (!fits(r)) return { r: null, note: `${file} written by Rscript does not match this data and cut`, failed: true };
  return { r, note: `R ${r.r}, forecast ${r.forecast} (${file})`, failed: false };
}

function main(): number {
  const opts = parseArgs(process.argv.slice(2));
  const bytes = readFileSync(opts.data);
  const dataMd5 = createHash('md5').update(bytes).digest('hex'); // as R's tools::md5sum reads it
  let series: M3Series[] = parseHeldoutSet(bytes.toString('utf8'), opts.data);
  if (opts.limit > 0 && opts.limit < series.length) {
    const step = series.length / opts.limit;
    series = Array.from({ length: opts.limit }, (_, i) => series[Math.floor(i * step)]);
  }
  const { r, note, failed } = rForecastsFor(opts, series.map((s) => s.id), dataMd5);
  if (failed) console.error(`bench:heldout: ${note}`);

  const tally = new Tally();
  const chosenCount: Record<string, number> = {};
  const rMissing: Record<string, number> = {};
  let modelIds: string[] = [];
  let noChoice = 0;
  const cpu0 = process.cpuUsage();
  for (const s of series) {
    const { frequency, train } = plannerHistory(s, opts.months, opts.quarters, opts.weeks);
    const out = forecastSku(s.id, train, frequency, s.horizon, opts.rule);
    modelIds = out.defaults;
    // Only now, with every forecast of the SKU made, are the test values read.
    if (!out.choice) { noChoice++; continue; }
    chosenCount[out.chosen ?? '-'] = (chosenCount[out.chosen ?? '-'] ?? 0) + 1;
    for (const key of [frequency, 'all']) {
      tally.add(`choice/${key}`, score(out.choice, s.test, train, s.frequency));
      for (const [m, f] of Object.entries(out.models)) tally.add(`${m}/${key}`, score(f, s.test, train, s.frequency));
      for (const m of r ? rMethods : []) {
        const mean = r!.forecasts[m]?.[s.id];
        if (!Array.isArray(mean) || mean.length !== s.horizon) {
          if (key === 'all') rMissing[m] = (rMissing[m] ?? 0) + 1;
          continue;
        }
        const f: SkuForecast = { mean, lower80: null, upper80: null, lower95: null, upper95: null };
        tally.add(`R ${m}/${key}`, score(f, s.test, train, s.frequency));
      }
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const msPerSku = (cpu.user + cpu.system) / 1000 / series.length;

  const freqs = ['all', ...[12, 4, 52].filter((f) => series.some((s) => s.frequency === f)).map((f) => frequencyNames[f])];
  const rRows = r ? rMethods.map((m) => `R ${m}`) : [];
  const rows = ['choice', ...modelIds, ...rRows];
  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  const count = (f: string) => tally.summary(`choice/${f}`).series;
  console.log(`held-out benchmark${opts.rule ? ` rule=${opts.rule} (diagnosis, not the default)` : ''}: ${series.length} series of ${opts.data} (${freqs.slice(1).map((f) => `${count(f)} ${f}`).join(', ')}), cut to the last ${opts.months} months / ${opts.quarters} quarters / ${opts.weeks} weeks; app defaults (models ${modelIds.join(', ')}); ${note}`);
  console.log(`${'what'.padEnd(14)}${freqs.map((f) => `sMAPE ${f}`.padStart(17)).join('')}${freqs.map((f) => `MASE ${f}`.padStart(16)).join('')}`);
  for (const row of rows) {
    const cellsOf = (metric: 'smape' | 'mase', width: number) => freqs.map((f) => f2(tally.summary(`${row}/${f}`)[metric]).padStart(width)).join('');
    console.log(`${row.padEnd(14)}${cellsOf('smape', 17)}${cellsOf('mase', 16)}`);
  }
  console.log(`chosen: ${Object.entries(chosenCount).sort((a, b) => b[1] - a[1]).map(([m, k]) => `${m} ${k}`).join(', ')}`);
  console.log(`cost: ${msPerSku.toFixed(2)} ms CPU per SKU for the app (all ${modelIds.length} default models and the choice)`);
  if (noChoice > 0) console.log(`no choice for ${noChoice} SKUs (left out of every row)`);
  if (Object.keys(rMissing).length > 0) console.log(`R methods without a forecast (left out of their row, and of "best R" for that group): ${JSON.stringify(rMissing)}`);

  // The best R method of each group among those that forecast every series of it, by sMAPE and by MASE.
  const verdicts: Record<string, unknown> = {};
  for (const f of r ? freqs : []) {
    const n = count(f);
    const complete = rRows.filter((m) => tally.summary(`${m}/${f}`).series === n);
    const v: Record<string, unknown> = {};
    for (const metric of ['smape', 'mase'] as const) {
      const best = complete.map((m) => ({ m, x: tally.summary(`${m}/${f}`)[metric] })).sort((a, b) => a.x - b.x)[0];
      const ours = tally.summary(`choice/${f}`)[metric];
      if (!best) continue;
      const beats = ours < best.x;
      v[metric] = { choice: ours, best_r: best.m.slice(2), best_r_value: best.x, beats, gap: ours - best.x };
      console.log(`${f.padEnd(10)} ${metric === 'smape' ? 'sMAPE' : 'MASE '}: choice ${f2(ours)} vs best R (${best.m.slice(2)}) ${f2(best.x)}: ${beats ? 'BEATS' : 'LOSES'} by ${Math.abs(ours - best.x).toFixed(3)} (${(100 * Math.abs(ours - best.x) / best.x).toFixed(1)}%)`);
    }
    verdicts[f] = v;
  }
  if (opts.json) {
    const by = (row: string) => Object.fromEntries(freqs.map((f) => [f, tally.summary(`${row}/${f}`)]));
    console.log(JSON.stringify({
      data: opts.data, data_md5: dataMd5, rule: opts.rule ?? 'default', series: series.length, cut: { months: opts.months, quarters: opts.quarters, weeks: opts.weeks },
      choice: by('choice'), models: Object.fromEntries(modelIds.map((m) => [m, by(m)])),
      // R's rows carry point forecasts only: no interval coverage for them.
      r: r ? { version: r.r, forecast: r.forecast, methods: Object.fromEntries(rMethods.map((m) => [m, Object.fromEntries(freqs.map((f) => {
        const { series: n, smape, mase } = tally.summary(`R ${m}/${f}`);
        return [f, { series: n, smape, mase }];
      }))])), missing: rMissing } : null,
      r_note: note, verdicts, chosen: chosenCount, no_choice: noChoice, ms_per_sku: msPerSku,
    }));
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  if (!(e instanceof UsageError || e instanceof HeldoutDataError)) throw e;
  console.error(`bench:heldout: ${e.message}`);
  process.exitCode = 2;
}
