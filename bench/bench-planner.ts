/**
 * The planner benchmark: what a planner gets from a CSV upload with the product's defaults on the
 * short histories planners have. The 1,428 monthly and 756 quarterly M3 series are cut to their
 * last 36 months / 12 quarters (the competition's test periods unchanged); each SKU goes through
 * the app's own path: the dataset defaults for its frequency (only the horizon set to the
 * competition's), the job input the worker builds (forecastInputFor), runForecast for every
 * default model, and the per-SKU choice the app shows (forecastItem). Prints sMAPE and MASE of
 * that choice and of each default model alone, by frequency; 80%/95% interval coverage; CPU per SKU.
 *
 * Usage: npm run bench:planner -- [--limit N] [--json] [--data FILE] [--months 36] [--quarters 12]
 *   --limit N  an evenly spaced sample of N series (both frequencies stay represented)
 *   --json     also print one JSON object on the last line
 *   --validate score on the last `horizon` points of each M3 training series instead of its test
 *              period (the test values are not even loaded): how the choice rule was decided
 *   --dump F   write every SKU's model results and test values to F (JSON lines) for offline study
 *   --rule R   a choice rule of chooseForecast other than the default, for such comparisons
 * The test values are read only by score(), after every forecast of the SKU is made.
 * CPU: process user+system time of the whole run divided by the SKUs (one thread, no pool).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChoiceRule } from '../src/forecasting/index.js';
import { forecastSku, plannerHistory, type M3Series } from './planner-sku.js';
import { score, Tally } from './planner-score.js';

function parseArgs(argv: string[]) {
  const opts = { limit: 0, json: false, data: '', months: 36, quarters: 12, validate: false, rule: undefined as ChoiceRule | undefined, dump: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--limit') opts.limit = Number(next());
    else if (a === '--json') opts.json = true;
    else if (a === '--data') opts.data = next();
    else if (a === '--months') opts.months = Number(next());
    else if (a === '--quarters') opts.quarters = Number(next());
    else if (a === '--validate') opts.validate = true;
    else if (a === '--dump') opts.dump = next();
    else if (a === '--rule') opts.rule = next() as ChoiceRule;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const file = opts.data || fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
  let series: M3Series[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as M3Series)
    .filter((s) => s.frequency === 12 || s.frequency === 4)
    .map((s) => (opts.validate ? { ...s, train: s.train.slice(0, -s.horizon), test: s.train.slice(-s.horizon) } : s));
  if (opts.limit > 0 && opts.limit < series.length) {
    const step = series.length / opts.limit;
    series = Array.from({ length: opts.limit }, (_, i) => series[Math.floor(i * step)]);
  }
  if (opts.dump) writeFileSync(opts.dump, '');
  const tally = new Tally();
  const chosenCount: Record<string, number> = {};
  const failures: Record<string, number> = {};
  let failureExample = '';
  let noChoice = 0;
  let modelIds: string[] = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (const s of series) {
    const { frequency, train } = plannerHistory(s, opts.months, opts.quarters);
    const out = forecastSku(s.id, train, frequency, s.horizon, opts.rule);
    modelIds = out.defaults;
    for (const [m, msg] of Object.entries(out.failures)) {
      failures[m] = (failures[m] ?? 0) + 1;
      failureExample ||= `${s.id} ${m}: ${msg}`;
    }
    // Only now, with every forecast made, are the test values read.
    if (opts.dump) appendFileSync(opts.dump, JSON.stringify({ id: s.id, frequency, train, test: s.test, results: out.results.map((r) => ({ modelId: r.modelId, result: r.result })) }) + '\n');
    if (!out.choice) { noChoice++; continue; }
    chosenCount[out.chosen ?? '-'] = (chosenCount[out.chosen ?? '-'] ?? 0) + 1;
    for (const key of [frequency, 'all']) {
      tally.add(`choice/${key}`, score(out.choice, s.test, train, s.frequency));
      for (const [m, f] of Object.entries(out.models)) tally.add(`${m}/${key}`, score(f, s.test, train, s.frequency));
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  const msPerSku = (cpu.user + cpu.system) / 1000 / series.length;

  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : '-');
  const rows = ['choice', ...modelIds];
  const freqs = ['all', 'monthly', 'quarterly'];
  console.log(`planner benchmark${opts.validate ? ' (VALIDATION: last horizon of each training series)' : ''}${opts.rule ? ` rule=${opts.rule}` : ''}: ${series.length} M3 series cut to the last ${opts.months} months / ${opts.quarters} quarters, app defaults (models ${modelIds.join(', ')}), file=${file}`);
  console.log(`${'what'.padEnd(16)}${freqs.map((f) => `sMAPE ${f}`.padStart(17)).join('')}${'MASE all'.padStart(10)}${'cov80'.padStart(8)}${'cov95'.padStart(8)}`);
  for (const r of rows) {
    const all = tally.summary(`${r}/all`);
    console.log(`${r.padEnd(16)}${freqs.map((f) => f2(tally.summary(`${r}/${f}`).smape).padStart(17)).join('')}${f2(all.mase).padStart(10)}${pct(all.coverage80).padStart(8)}${pct(all.coverage95).padStart(8)}`);
  }
  console.log(`chosen: ${Object.entries(chosenCount).sort((a, b) => b[1] - a[1]).map(([m, k]) => `${m} ${k}`).join(', ')}`);
  console.log(`cost: ${msPerSku.toFixed(2)} ms CPU per SKU (all ${modelIds.length} default models and the choice), wall ${(wall / 1000).toFixed(1)} s`);
  if (noChoice > 0 || Object.keys(failures).length > 0) {
    console.log(`no choice for ${noChoice} SKUs; model failures ${JSON.stringify(failures)}${failureExample ? `, e.g. ${failureExample}` : ''}`);
  }
  if (opts.json) {
    const by = (r: string) => Object.fromEntries(freqs.map((f) => [f, tally.summary(`${r}/${f}`)]));
    console.log(JSON.stringify({
      series: series.length, months: opts.months, quarters: opts.quarters,
      choice: by('choice'), models: Object.fromEntries(modelIds.map((m) => [m, by(m)])),
      chosen: chosenCount, failures, no_choice: noChoice, ms_per_sku: msPerSku,
    }));
  }
}

main();
