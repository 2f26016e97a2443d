/**
 * The per-SKU choice rules bench/choice-rules.ts compares, as pure functions of one validation dump
 * line (bench/choice-dump.ts): every default model's forecast and cross-validation forecasts, cached
 * once per series. `parseSeries` reads a line as chooseForecast sees its candidates (only the models
 * with aligned CV origins enter a mean), `rules` maps a name to what that rule forecasts, `scoreRules`
 * gives each rule's validation sMAPE per set and category. No model is refitted here.
 */
import { readFileSync } from 'node:fs';
import type { ForecastResult } from '../src/forecasting/index.js';
import { mae, smape } from '../src/forecasting/metrics.js';

export interface Member { id: string; mean: number[]; cvf: number[][]; e: number }
/** `years`: the history's length in years (M3 "other" counts as yearly, as the app runs it). */
export interface Series { cat: string; zeros: boolean; n: number; years: number; target: number[]; cvActual: number[][]; m: Member[]; all: Record<string, number[]> }
export type Pick = { members: Member[]; w?: number[] } | { f: number[] } | null;

export const MODELS = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'];
const category = (p: string) => { const c = p.toLowerCase(); return ['yearly', 'quarterly', 'monthly'].includes(c) ? c : 'other'; };

export interface DumpLine { period: string; frequency: number; train: number[]; target: number[]; results: { modelId: string; result: ForecastResult }[] }

/** Every dump line of a file as the rules see it (parseSeries). */
export function load(file: string): Series[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => parseSeries(JSON.parse(l) as DumpLine));
}

/** One dump line as the rules see it: the models with aligned CV origins (as chooseForecast keeps them), each with its mean CV MAE. */
export function parseSeries(d: DumpLine): Series {
  const rs = d.results.filter((r) => r.result.forecast.mean.length === d.target.length);
  const withCv = rs.filter((r) => r.result.cv && r.result.cv.forecast.length > 0 && r.result.cv.forecast.every((f) => f !== null));
  const o = JSON.stringify(withCv[0]?.result.cv?.origins ?? null);
  const aligned = withCv.filter((r) => JSON.stringify(r.result.cv!.origins) === o);
  const m = aligned.map((r) => {
    const cv = r.result.cv!;
    const cvf = cv.forecast as number[][];
    return { id: r.modelId, mean: r.result.forecast.mean, cvf, e: cv.actual.reduce((a, act, k) => a + mae(act, cvf[k]), 0) / cv.actual.length };
  });
  return {
    cat: category(d.period), zeros: d.train.some((v) => v <= 0), n: d.train.length, years: d.train.length / Math.max(1, d.frequency),
    target: d.target, cvActual: aligned[0]?.result.cv!.actual ?? [], m,
    all: Object.fromEntries(rs.map((r) => [r.modelId, r.result.forecast.mean])),
  };
}

export const weighted = (rows: number[][], w?: number[]) => rows[0].map((_, i) => rows.reduce((a, r, k) => a + (w ? w[k] : 1 / rows.length) * r[i], 0));
const comboCv = (s: Series, members: Member[]) => s.cvActual.reduce((a, act, k) => a + mae(act, weighted(members.map((x) => x.cvf[k]))), 0) / s.cvActual.length;
export const ranked = (s: Series) => s.m.slice().sort((a, b) => a.e - b.e);
const ens = (s: Series) => s.m.find((x) => x.id === 'ensemble');
/** The ensemble and the K others with the lowest CV error (the K + 1 best without it). */
export const anchorK = (s: Series, K: number, keep: (x: Member) => boolean = () => true) => {
  const a = ens(s);
  const t = ranked(s).filter(keep);
  return a ? [a, ...t.filter((x) => x !== a).slice(0, K)] : t.slice(0, K + 1);
};
/** The ensemble weighted `we`, the other members sharing the rest (equally, or by inverse CV error). */
export const ensWeighted = (members: Member[], we: number, inverse = false): Pick => {
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

export const rules: Record<string, (s: Series) => Pick> = {};
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

// The ensemble's weight growing with the history (issue 10: on full histories the ensemble alone beat
// anchor3w on three categories, on 3-year ones the mean beat it): a step at Y years, or by points.
for (const Y of [4, 5, 6, 8, 12]) for (const wl of [0.7, 0.8, 0.9, 1]) rules[`ensW0.6|${wl}@${Y}y`] = (s) => ensWeighted(anchorK(s, 3), s.years < Y ? 0.6 : wl);
for (const N of [24, 40, 60]) for (const wl of [0.8, 1]) rules[`ensW0.6|${wl}@${N}n`] = (s) => ensWeighted(anchorK(s, 3), s.n < N ? 0.6 : wl);
// Smoothly: 0.6 at 3 years, rising by `k` per doubling of the history, at most wMax.
for (const k of [0.1, 0.15, 0.2]) for (const wMax of [0.8, 0.9]) rules[`ensWlog${k}max${wMax}`] = (s) => ensWeighted(anchorK(s, 3), Math.min(wMax, Math.max(0.6, 0.6 + k * Math.log2(s.years / 3))));
// By CV evidence: more weight where the ensemble's CV error is the lowest of all.
for (const wb of [0.7, 0.8, 0.9]) rules[`ensW0.6|${wb}ifBest`] = (s) => ensWeighted(anchorK(s, 3), ranked(s)[0]?.id === 'ensemble' ? wb : 0.6);
// The ensemble's weight from its CV error against the others' mean's (a ratio r = e_ens / e_others): w = clamp(0.6 + c (1 - r)).
for (const c of [0.25, 0.5]) rules[`ensWcv${c}`] = (s) => {
  const mem = anchorK(s, 3);
  const a = ens(s);
  if (!a || mem.length < 2) return { members: mem };
  const r = a.e / Math.max(1e-9, comboCv(s, mem.slice(1)));
  return ensWeighted(mem, Math.min(0.9, Math.max(0.4, 0.6 + c * (1 - r))));
};

for (const c of [0.75, 1]) for (const [lo, hi] of [[0.4, 0.9], [0.3, 1]]) rules[`ensWcv${c}[${lo},${hi}]`] = (s) => {
  const mem = anchorK(s, 3);
  const a = ens(s);
  if (!a || mem.length < 2) return { members: mem };
  const r = a.e / Math.max(1e-9, comboCv(s, mem.slice(1)));
  return ensWeighted(mem, Math.min(hi, Math.max(lo, 0.6 + c * (1 - r))));
};
/**
 * The ensemble's weight against the others' equal-weight mean fitted by least squares on the CV
 * errors (in [0, 1]), shrunk towards 0.6 with `prior` pseudo-points: the more CV points (origins x
 * steps), the more the data decide. ensembleWeightLs is the production candidate's arithmetic.
 */
export function ensembleWeightLs(cvActual: number[][], ensCv: number[][], othersCv: number[][], prior: number, base = 0.6): number {
  let num = 0;
  let den = 0;
  let n = 0;
  for (let k = 0; k < cvActual.length; k++) {
    for (let i = 0; i < cvActual[k].length; i++) {
      // a - o = w (e - o): the least-squares w of the residual on the difference.
      const d = ensCv[k][i] - othersCv[k][i];
      const r = cvActual[k][i] - othersCv[k][i];
      if (!Number.isFinite(d) || !Number.isFinite(r)) continue;
      num += d * r;
      den += d * d;
      n++;
    }
  }
  const wHat = den > 0 ? Math.min(1, Math.max(0, num / den)) : base;
  return (n * wHat + prior * base) / (n + prior);
}
for (const prior of [10, 20, 40, 80]) rules[`ensWls${prior}`] = (s) => {
  const mem = anchorK(s, 3);
  if (mem.length < 2 || mem[0].id !== 'ensemble') return { members: mem };
  const others = s.cvActual.map((_, k) => weighted(mem.slice(1).map((x) => x.cvf[k])));
  return ensWeighted(mem, ensembleWeightLs(s.cvActual, mem[0].cvf, others, prior));
};
rules['ensWcv0.5+inv'] = (s) => {
  const mem = anchorK(s, 3);
  const a = ens(s);
  if (!a || mem.length < 2) return { members: mem };
  const r = a.e / Math.max(1e-9, comboCv(s, mem.slice(1)));
  return ensWeighted(mem, Math.min(0.9, Math.max(0.4, 0.6 + 0.5 * (1 - r))), true);
};

// Inverse-CV-error weights over anchor3's four with the ensemble's prior weight `prior` (x3 above), and power `pw`.
for (const prior of [2, 2.5, 3, 4, 5]) for (const pw of [0.5, 1, 1.5]) rules[`invA3p${prior}^${pw}`] = (s) => inverseWeights(anchorK(s, 3), pw, prior);

export function forecastOf(s: Series, rule: (s: Series) => Pick): number[] | null {
  const o = rule(s);
  if (!o) return null;
  if ('f' in o) return o.f;
  return o.members.length ? weighted(o.members.map((x) => x.mean), o.w) : null;
}


export interface RuleScore { name: string; bySet: Record<string, number>[] }

/** Each rule's mean validation sMAPE per set, overall ('all') and by category; a rule with no answer for a series falls back to anchor3. */
export function scoreRules(sets: Series[][], which: Record<string, (s: Series) => Pick> = rules): RuleScore[] {
  return Object.entries(which).map(([name, rule]) => ({
    name,
    bySet: sets.map((data) => {
      const sum: Record<string, number> = {};
      const n: Record<string, number> = {};
      for (const s of data) {
        const e = smape(s.target, forecastOf(s, rule) ?? forecastOf(s, rules.anchor3)!);
        for (const k of ['all', s.cat]) { sum[k] = (sum[k] ?? 0) + e; n[k] = (n[k] ?? 0) + 1; }
      }
      return Object.fromEntries(Object.keys(sum).map((k) => [k, sum[k] / n[k]]));
    }),
  }));
}
