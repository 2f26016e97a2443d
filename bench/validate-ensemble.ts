/**
 * Rolling-origin validation on the TRAINING parts of M3 only, the criterion the ensemble recipe and
 * its interval widening were chosen by (docs/forecasting-advanced.md). For every series the last
 * `horizon` points of the training series are held out and forecast from the rest; M3's test
 * periods are never read. Prints one markdown row per recipe, and the interval widening each would
 * need for nominal 80% / 95% coverage.
 *
 * Usage: npx tsc -p tsconfig.build.json && node dist/bench/validate-ensemble.js [--every 3] [--origin 1] [--data FILE] [recipe ...]
 *   recipe: members joined by '+', a member optionally weighted as 'dotm*2', optionally ':median' or ':trimmed'
 *   (e.g. ets_r+ses+theta+damped, ses+dotm*2+damped+ces+arima, ses+theta+damped:median), or 'theta' / 'ets' for the
 *   single models. Members: ets, ets_r, theta, damped, ets_sa, ses, dotm, holt, ces, arima (coefficients by conditional
 *   sum of squares), arima_ml (the chosen order's coefficients refitted by exact likelihood), arima_mlm (and its mean or
 *   drift), arima_mls (every candidate so, as R).
 *   Default: the recipes of the table in the docs.
 *   --origin k: hold out the k-th last block of `horizon` training points (history = training minus k horizons,
 *   scored on the next horizon); beyond the first, series too short for it (fewer than the model's minimum + 2 points left) are skipped.
 *   --paired BASE: then, for every other recipe, its sMAPE minus BASE's series by series (mean, its standard error, the
 *   t-statistic, the series it does better / worse on) and its ms per series by M3 category. BASE must be one of the recipes.
 *   Every 2nd series from the first is the "first half"; the other half is `awk 'NR%2==0' data/m3/m3.jsonl` with --every 1.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getModel } from '../src/forecasting/model-registry.js';
import { seasonalPeriod } from '../src/forecasting/run-forecast.js';
import { fitEnsemble, type MemberId } from '../src/forecasting/ensemble.js';
import { etsModel } from '../src/forecasting/ets/ets-model.js';
import type { Frequency } from '../src/forecasting/forecast-types.js';
import { smape } from '../src/forecasting/metrics.js';
import type { FittedModel, SeriesContext } from '../src/forecasting/model-definition.js';
import { thetaModel } from '../src/forecasting/theta.js';

interface M3Series { id: string; period: string; frequency: number; horizon: number; train: number[] }

const FREQUENCY: Record<number, Frequency> = { 1: 'yearly', 4: 'quarterly', 12: 'monthly' };
const DEFAULT_RECIPES = [
  'ets', 'ets:mean', 'theta', 'ses:mean', 'damped:mean', 'arima:mean',
  'ets_r+theta+damped', 'ets_r+theta+damped:median', 'ets+theta+damped', 'ets_r+theta', 'ets_sa+theta+damped',
  'ses+theta+damped', 'ses+theta+damped:median', 'ets+ses+theta+damped', 'ets_r+ses+theta+damped',
  'ets_r+ses+theta+damped:median', 'ets_r+theta+arima', 'ets_r+ses+theta+damped+arima', 'ses+theta+damped+arima:median',
  'ses+theta+damped+arima', 'dotm:mean', 'ces:mean', 'ses+dotm+damped+arima', 'ses+theta+dotm+damped+arima',
  'ses+dotm+damped+arima:median', 'ses+dotm+damped+arima+ces', 'ses+dotm+damped+arima+ces:trimmed',
  'ses+theta+dotm+damped+ces', 'ses+theta+damped+ces', 'ses+dotm+ces', 'ses+dotm+damped+ces', 'ses+dotm+damped+ces+arima',
  'ses+dotm*2+damped+ces', 'ses+dotm*2+damped+ces+arima', 'ses+dotm*2+damped+ces+arima+ets_r',
];

function fitter(recipe: string): (ctx: SeriesContext) => FittedModel {
  if (recipe === 'ets') return (ctx) => etsModel.fit(ctx, null);
  if (recipe === 'theta') return (ctx) => thetaModel.fit(ctx, null);
  const [list, how] = recipe.split(':');
  const parts = list.split('+').map((p) => p.split('*'));
  const members = parts.map(([id]) => id as MemberId);
  const weights = parts.some((p) => p.length > 1) ? parts.map(([, w]) => Number(w ?? 1)) : undefined;
  return (ctx) => fitEnsemble(ctx, { members, combine: how === 'median' || how === 'trimmed' ? how : 'mean', weights, intervalScale: { a: 1, b: 0 } });
}

const args = process.argv.slice(2);
let every = 3;
let origin = 1;
let pairedBase: string | null = null;
let file = fileURLToPath(new URL('../../data/m3/m3.jsonl', import.meta.url));
const recipes: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--every') every = Math.max(1, Number(args[++i]));
  else if (args[i] === '--origin') origin = Math.max(1, Number(args[++i]));
  else if (args[i] === '--data') file = args[++i];
  else if (args[i] === '--paired') pairedBase = args[++i];
  else recipes.push(args[i]);
}
const all = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as M3Series);
const ensembleDef = getModel('ensemble')!;
const minLength = (m: number) => (m > 1 ? 2 * m : 4);
const series = all.filter((s, i) => i % every === 0 && (origin === 1 || s.train.length - origin * s.horizon >= minLength(s.frequency) + 2));
const cats = ['YEARLY', 'QUARTERLY', 'MONTHLY', 'OTHER'];
console.log(`rolling-origin validation on the training data: ${series.length} series (every ${every}th), origin ${origin}`);
console.log('| recipe | yearly | quarterly | monthly | other | all | 95% coverage | widen 80% | widen 95% | ms/series |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const perSeries = new Map<string, { smape: number[]; msByCat: Record<string, number[]> }>();
for (const recipe of recipes.length ? recipes : DEFAULT_RECIPES) {
  const fit = fitter(recipe);
  const byCat: Record<string, number[]> = {};
  const mine = { smape: [] as number[], msByCat: {} as Record<string, number[]> };
  perSeries.set(recipe, mine);
  const ratios: number[] = [];
  let inside = 0;
  const started = performance.now();
  for (const s of series) {
    const h = s.horizon;
    const t0 = performance.now();
    const cut = s.train.length - origin * h;
    const y = s.train.slice(0, cut);
    const actual = s.train.slice(cut, cut + h);
    const m = s.frequency;
    // As runForecast decides for the ensemble (the autocorrelation test or the seasonal strength, engine 1.4).
    const period = seasonalPeriod(ensembleDef, y, m).period;
    const f = fit({ y, period, frequency: FREQUENCY[m] ?? 'yearly' }).forecast(h, [95]);
    (mine.msByCat[s.period] ??= []).push(performance.now() - t0);
    (byCat[s.period] ??= []).push(smape(actual, f.mean));
    mine.smape.push(smape(actual, f.mean));
    for (let i = 0; i < h; i++) {
      const half = f.intervals[0].upper[i] - f.mean[i];
      const dev = Math.abs(actual[i] - f.mean[i]);
      ratios.push(half > 0 ? dev / half : dev === 0 ? 0 : Number.POSITIVE_INFINITY);
      if (actual[i] >= f.intervals[0].lower[i] && actual[i] <= f.intervals[0].upper[i]) inside++;
    }
  }
  const ms = (performance.now() - started) / series.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  ratios.sort((a, b) => a - b);
  const q = (p: number) => ratios[Math.floor(p * ratios.length)];
  const widen80 = (q(0.8) * 1.959964) / 1.281552;
  const cells = cats.map((c) => mean(byCat[c] ?? [Number.NaN]).toFixed(2));
  const overall = mean(Object.values(byCat).flat());
  console.log(`| ${recipe} | ${cells.join(' | ')} | ${overall.toFixed(3)} | ${((100 * inside) / ratios.length).toFixed(1)}% | ${widen80.toFixed(3)} | ${q(0.95).toFixed(3)} | ${ms.toFixed(2)} |`);
}
const base = pairedBase === null ? undefined : perSeries.get(pairedBase);
if (pairedBase !== null && !base) console.error(`validate-ensemble: --paired ${pairedBase} is not among the recipes`);
if (base) {
  console.log(`\npaired against ${pairedBase}, series by series: sMAPE difference (negative: better), mean +- standard error [t], better / worse series; ms per series by category`);
  console.log('| recipe | mean difference | SE | t | better / worse | ms yearly | ms quarterly | ms monthly | ms other |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [recipe, r] of perSeries) {
    const d = r.smape.map((v, i) => v - base.smape[i]);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const se = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1) / d.length);
    const ms = cats.map((c) => { const xs = r.msByCat[c] ?? []; return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1) : '-'; });
    console.log(`| ${recipe} | ${mean.toFixed(4)} | ${se.toFixed(4)} | ${se > 0 ? (mean / se).toFixed(2) : '-'} | ${d.filter((x) => x < 0).length} / ${d.filter((x) => x > 0).length} | ${ms.join(' | ')} |`);
  }
}
