/**
 * Caches every default model's result (forecast, cross-validation forecasts and errors) per M3
 * series on a validation origin cut from the series' TRAINING part, so choice rules can be compared
 * offline (bench/choice-rules.ts) without refitting. The M3 test values are never loaded.
 *
 * Usage: node dist/bench/choice-dump.js --set short|full --origin K --out FILE [--every N] [--data FILE]
 *   --set short  the monthly and quarterly series cut to their last 36 months / 12 quarters (bench:planner's histories)
 *   --set full   all 3,003 series, whole histories (bench:m3's)
 *   --origin K   the validation target is the K-th block of `horizon` points from the training part's end
 *                (1: the last horizon points); the models see only the points before it
 *   --every N    every N-th series only
 *   --extra A,B  also fit these registry models the app's way (dataset defaults, cross-validation), stored
 *                apart as `extras` so the defaults' rules never see them; MODEL@METHOD runs one with another
 *                tuning method (e.g. damped_trend@mle)
 * Each line: { id, period, frequency, train, target, results: [{ modelId, result }], extras: [{ modelId, result }] }.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { m3Frequency } from './m3-forecast.js';
import { forecastSku, plannerHistory, type M3Series } from './planner-sku.js';
import { validationSplit } from './validation-split.js';

function parseArgs(argv: string[]) {
  const opts = { set: '', origin: 1, out: '', every: 1, data: '', extra: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === '--set') opts.set = v;
    else if (a === '--origin') opts.origin = Number(v);
    else if (a === '--out') opts.out = v;
    else if (a === '--every') opts.every = Number(v);
    else if (a === '--data') opts.data = v;
    else if (a === '--extra') opts.extra = v.split(',').filter((m) => m !== '');
    else throw new Error(`unknown option ${a}`);
  }
  if (opts.set !== 'short' && opts.set !== 'full') throw new Error('--set must be short or full');
  if (!opts.out) throw new Error('--out FILE is required');
  if (!(Number.isInteger(opts.origin) && opts.origin >= 1)) throw new Error('--origin must be a whole number >= 1');
  if (!(Number.isInteger(opts.every) && opts.every >= 1)) throw new Error('--every must be a whole number >= 1');
  return opts;
}

function main(): void {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`choice-dump: ${(e as Error).message}`);
    process.exit(2);
  }
  const file = opts.data || fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
  // The test values are dropped on reading: only the training part is ever used.
  let series = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => { const s = JSON.parse(l) as M3Series; return { id: s.id, period: s.period, frequency: s.frequency, horizon: s.horizon, train: s.train }; });
  if (opts.set === 'short') series = series.filter((s) => s.frequency === 12 || s.frequency === 4);
  series = series.filter((_, i) => i % opts.every === 0);
  writeFileSync(opts.out, '');
  const cpu0 = process.cpuUsage();
  let kept = 0;
  for (const s of series) {
    const split = validationSplit(s.train, s.horizon, opts.origin);
    if (!split) continue; // too little left to fit on
    const { target } = split;
    let train = split.fit;
    let frequency = m3Frequency(s.frequency);
    if (opts.set === 'short') ({ frequency, train } = plannerHistory({ frequency: s.frequency, train }));
    const out = forecastSku(s.id, train, frequency, s.horizon, undefined, opts.extra);
    appendFileSync(opts.out, JSON.stringify({ id: s.id, period: s.period, frequency: s.frequency, train, target, results: out.results.map((r) => ({ modelId: r.modelId, result: r.result })), extras: out.extras.map((r) => ({ modelId: r.modelId, result: r.result })) }) + '\n');
    kept++;
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`choice-dump ${opts.set} origin ${opts.origin}: ${kept} series, ${((cpu.user + cpu.system) / 1000 / Math.max(1, kept)).toFixed(1)} ms CPU per series`);
}

main();
