/**
 * Compares per-SKU choice rules offline on the validation dumps of bench/choice-dump.ts (every
 * default model's forecast and cross-validation forecasts, cached once per series): no model is
 * refitted, so dozens of rules cost seconds. Point forecasts only (sMAPE on the validation target,
 * which lies inside each series' training part); the rule kept is then checked with the real
 * chooseForecast, bands included.
 *
 * Usage: node dist/bench/choice-rules.js FILE... (e.g. short-o1.jsonl short-o2.jsonl full-o1.jsonl full-o2.jsonl)
 * Prints per rule the sMAPE on each file, their mean, a +/- per file for "no worse than the best
 * single default model there", and the sMAPE by M3 category.
 */
import { readFileSync } from 'node:fs';
import type { ForecastResult } from '../src/forecasting/index.js';
import { mae, smape } from '../src/forecasting/metrics.js';

interface Member { id: string; mean: number[]; cvf: number[][]; e: number }
interface Series { cat: string; zeros: boolean; target: number[]; cvActual: number[][]; m: Member[]; all: Record<string, number[]> }
type Pick = { members: Member[]; w?: number[] } | { f: number[] } | null;

const MODELS = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'];
const category = (p: string) => { const c = p.toLowerCase(); return ['yearly', 'quarterly', 'monthly'].includes(c) ? c : 'other'; };

/** One dump line as the rules see it: the models with aligned CV origins (as chooseForecast keeps them), each with its mean CV MAE. */
function load(file: string): Series[] {
  const out: Series[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const d = JSON.parse(line) as { period: string; train: number[]; target: number[]; results: { modelId: string; result: ForecastResult }[] };
    const rs = d.results.filter((r) => r.result.forecast.mean.length === d.target.length);
    const withCv = rs.filter((r) => r.result.cv && r.result.cv.forecast.length > 0 && r.result.cv.forecast.every((f) => f !== null));
    const o = JSON.stringify(withCv[0]?.result.cv?.origins ?? null);
    const aligned = withCv.filter((r) => JSON.stringify(r.result.cv!.origins) === o);
    const m = aligned.map((r) => {
      const cv = r.result.cv!;
      const cvf = cv.forecast as number[][];
      return { id: r.modelId, mean: r.result.forecast.mean, cvf, e: cv.actual.reduce((a, act, k) => a + mae(act, cvf[k]), 0) / cv.actual.length };
    });
    out.push({
      cat: category(d.period), zeros: d.train.some((v) => v <= 0), target: d.target, cvActual: aligned[0]?.result.cv!.actual ?? [], m,
      all: Object.fromEntries(rs.map((r) => [r.modelId, r.result.forecast.mean])),
    });
  }
  return out;
}

const weighted = (rows: number[][], w?: number[]) => rows[0].map((_, i) => rows.reduce((a, r, k) => a + (w ? w[k] : 1 / rows.length) * r[i], 0));
const comboCv = (s: Series, members: Member[]) => s.cvActual.reduce((a, act, k) => a + mae(act, weighted(members.map((x) => x.cvf[k]))), 0) / s.cvActual.length;
const ranked = (s: Series) => s.m.slice().sort((a, b) => a.e - b.e);
const ens = (s: Series) => s.m.find((x) => x.id === 'ensemble');
/** The ensemble and the K others with the lowest CV error (the K + 1 best without it). */
const anchorK = (s: Series, K: number, keep: (x: Member) => boolean = () => true) => {
  const a = ens(s);
  const t = ranked(s).filter(keep);
  return a ? [a, ...t.filter((x) => x !== a).slice(0, K)] : t.slice(0, K + 1);
};
/** The ensemble weighted `we`, the other members sharing the rest (equally, or by inverse CV error). */
const ensWeighted = (members: Member[], we: number, inverse = false): Pick => {
  if (members[0].id !== 'ensemble' || members.length < 2) return { members };
  const o = members.slice(1).map((x) => (inverse ? 1 / Math.max(x.e, 1e-9) : 1));
  const z = o.reduce((a, b) => a + b, 0);
  return { members, w: [we, ...o.map((v) => ((1 - we) * v) / z)] };
};
const inverseWeights = (members: Member[], power: number, ensPrior = 1): Pick => {
  const w = members.map((x) => (x.id === 'ensemble' ? ensPrior : 1) / Math.max(x.e, 1e-9) ** power);
  const z = w.reduce((a, b) => a + b, 0);
  return { members, w: w.map((v) => v / z) };
};

const rules: Record<string, (s: Series) => Pick> = {};
for (const id of MODELS) rules[`single:${id}`] = (s) => (s.all[id] ? { f: s.all[id] } : null);
rules.best1 = (s) => ({ members: ranked(s).slice(0, 1) });
rules.all5 = (s) => ({ members: s.m });
for (const K of [0, 1, 2, 3, 4]) rules[`anchor${K}`] = (s) => ({ members: anchorK(s, K) });
rules['anchor3-nocroston'] = (s) => ({ members: anchorK(s, 3, (x) => s.zeros || x.id !== 'croston') });
for (const t of [0, 0.1, 0.2, 0.3, 0.5]) {
  // Forecast pooling (Kourentzes et al. 2019): the models within a gap of the best (or of the ensemble).
  rules[`anchorTol${t}max3`] = (s) => { const a = ens(s); return a ? { members: [a, ...ranked(s).filter((x) => x !== a && x.e <= a.e * (1 + t)).slice(0, 3)] } : { members: anchorK(s, 3) }; };
  rules[`pool${t}`] = (s) => { const b = ranked(s); return { members: b.filter((x) => x.e <= b[0].e * (1 + t)) }; };
  rules[`poolAnch${t}`] = (s) => { const b = ranked(s); const a = ens(s); const p = b.filter((x) => x.e <= b[0].e * (1 + t)); return { members: a && !p.includes(a) ? [a, ...p] : p }; };
}
rules['inv-all'] = (s) => inverseWeights(s.m, 1);
rules['inv2-all'] = (s) => inverseWeights(s.m, 2);
rules['inv-anchor3'] = (s) => inverseWeights(anchorK(s, 3), 1);
rules['inv-anchor3-ensx3'] = (s) => inverseWeights(anchorK(s, 3), 1, 3);
for (const we of [0.4, 0.5, 0.6, 0.7, 0.75]) rules[`ensW${we}+3`] = (s) => ensWeighted(anchorK(s, 3), we);
for (const we of [0.5, 0.6]) {
  rules[`ensW${we}+2`] = (s) => ensWeighted(anchorK(s, 2), we);
  rules[`ensW${we}+4`] = (s) => ensWeighted(anchorK(s, 4), we);
  rules[`ensW${we}+3inv`] = (s) => ensWeighted(anchorK(s, 3), we, true);
}
// The number of others adapting to the CV: the anchored mean whose own CV error is lowest, or the ensemble alone where it beats anchor3's.
rules['anchorK-cv'] = (s) => { let best: { e: number; mem: Member[] } | null = null; for (const K of [0, 1, 2, 3, 4]) { const mem = anchorK(s, K); const e = comboCv(s, mem); if (!best || e < best.e - 1e-12) best = { e, mem }; } return { members: best!.mem }; };
rules['anchor3-or-ens'] = (s) => { const a = ens(s); const mem = anchorK(s, 3); return a && comboCv(s, mem) > a.e ? { members: [a] } : { members: mem }; };

function forecastOf(s: Series, rule: (s: Series) => Pick): number[] | null {
  const o = rule(s);
  if (!o) return null;
  if ('f' in o) return o.f;
  return o.members.length ? weighted(o.members.map((x) => x.mean), o.w) : null;
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('choice-rules: name one or more dumps of bench/choice-dump.js');
    process.exit(2);
  }
  const sets = files.map((f) => ({ name: f.split('/').pop()!.replace(/\.jsonl$/, ''), data: load(f).filter((s) => s.m.length > 0) }));
  const table = Object.entries(rules).map(([name, rule]) => ({
    name,
    bySet: sets.map(({ data }) => {
      const sum: Record<string, number> = {};
      const n: Record<string, number> = {};
      for (const s of data) {
        const e = smape(s.target, forecastOf(s, rule) ?? forecastOf(s, rules.anchor3)!);
        for (const k of ['all', s.cat]) { sum[k] = (sum[k] ?? 0) + e; n[k] = (n[k] ?? 0) + 1; }
      }
      return Object.fromEntries(Object.keys(sum).map((k) => [k, sum[k] / n[k]]));
    }),
  }));
  const bestSingle = sets.map((_, i) => Math.min(...table.filter((r) => r.name.startsWith('single:')).map((r) => r.bySet[i].all)));
  console.log(`${'rule'.padEnd(20)}${sets.map((s) => s.name.padStart(10)).join('')}${'mean'.padStart(8)}  vs best single | by category`);
  for (const r of table) {
    const v = r.bySet.map((b) => b.all);
    const marks = v.map((x, i) => (x <= bestSingle[i] ? '+' : '-')).join('');
    const cats = r.bySet.map((b) => Object.entries(b).filter(([k]) => k !== 'all').map(([k, x]) => `${k[0]}${x.toFixed(2)}`).join(' ')).join(' | ');
    console.log(`${r.name.padEnd(20)}${v.map((x) => x.toFixed(3).padStart(10)).join('')}${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3).padStart(8)}  ${marks.padEnd(14)} | ${cats}`);
  }
  console.log(`series: ${sets.map((s) => `${s.name} ${s.data.length}`).join(', ')}; best single: ${bestSingle.map((x) => x.toFixed(3)).join(' ')}`);
}

main();
