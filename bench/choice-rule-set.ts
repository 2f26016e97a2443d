/**
 * The per-SKU choice rules bench/choice-rules.ts compares, as pure functions of one validation dump
 * line (bench/choice-dump.ts): every default model's forecast and cross-validation forecasts, cached
 * once per series. `parseSeries` reads a line as chooseForecast sees its candidates (only the models
 * with aligned CV origins enter a mean), `rules` maps a name to what that rule forecasts, `scoreRules`
 * gives each rule's validation sMAPE per set and category, `pairedAgainst` a rule's per-series
 * difference from another's with its t-statistic. No model is refitted here.
 */
import { readFileSync } from 'node:fs';
import type { ForecastResult } from '../src/forecasting/index.js';
import { mae, smape } from '../src/forecasting/metrics.js';

export interface Member { id: string; mean: number[]; cvf: number[][]; e: number }
/** `years`: the history's length in years (M3 "other" counts as yearly, as the app runs it). */
/** `x`: models fitted beside the defaults (choice-dump --extra) with the same CV origins, never in `m`. */
export interface Series { x: Record<string, Member>; cat: string; zeros: boolean; n: number; years: number; freq: number; origins: number[]; target: number[]; cvActual: number[][]; m: Member[]; all: Record<string, number[]> }
export type Pick = { members: Member[]; w?: number[] } | { f: number[] } | null;

export const MODELS = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'];
const category = (p: string) => { const c = p.toLowerCase(); return ['yearly', 'quarterly', 'monthly'].includes(c) ? c : 'other'; };

export interface DumpLine { period: string; frequency: number; train: number[]; target: number[]; results: { modelId: string; result: ForecastResult }[]; extras?: { modelId: string; result: ForecastResult }[] }

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
  const member = (r: { modelId: string; result: ForecastResult }): Member => {
    const cv = r.result.cv!;
    const cvf = cv.forecast as number[][];
    return { id: r.modelId, mean: r.result.forecast.mean, cvf, e: cv.actual.reduce((a, act, k) => a + mae(act, cvf[k]), 0) / cv.actual.length };
  };
  const m = aligned.map(member);
  const x = Object.fromEntries((d.extras ?? [])
    .filter((r) => r.result.forecast.mean.length === d.target.length && r.result.cv && r.result.cv.forecast.length > 0 && r.result.cv.forecast.every((f) => f !== null) && JSON.stringify(r.result.cv.origins) === o)
    .map((r) => [r.modelId, member(r)]));
  return {
    x,
    cat: category(d.period), zeros: d.train.some((v) => v <= 0), n: d.train.length, years: d.train.length / Math.max(1, d.frequency), freq: d.frequency, origins: aligned[0]?.result.cv!.origins ?? [],
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

// Issue 10, third comparison (i10-m3-choice). By frequency: on full histories the ensemble alone beat
// anchor3w on yearly, quarterly and other (the second comparison's per-category figures), on monthly the mean won.
for (const w of [0.7, 0.8, 0.9, 1]) rules[`ensW0.6|${w}@f<12`] = (s) => ensWeighted(anchorK(s, 3), s.freq < 12 ? w : 0.6);
for (const w of [0.7, 0.8]) rules[`ensW0.6|${w}@f1`] = (s) => ensWeighted(anchorK(s, 3), s.freq < 4 ? w : 0.6);
for (const Y of [4, 5]) for (const w of [0.8, 1]) rules[`ensW0.6|${w}@f<12&y>=${Y}`] = (s) => ensWeighted(anchorK(s, 3), s.freq < 12 && s.years >= Y ? w : 0.6);
for (const w of [0.9, 1]) rules[`ensW0.6|${w}@f1`] = (s) => ensWeighted(anchorK(s, 3), s.freq < 4 ? w : 0.6);
for (const w of [0.7, 0.8]) rules[`ensW0.6|${w}@f4`] = (s) => ensWeighted(anchorK(s, 3), s.freq === 4 ? w : 0.6);
// Issue 10, fourth comparison: quarterly histories only, by length (0.8 from 20 quarters became the rule anchor3wq, not the default: choose-forecast.ts robustWeight).
for (const N of [16, 20, 24]) for (const w of [0.7, 0.8, 0.9]) rules[`ensW0.6|${w}@f4&n>=${N}`] = (s) => ensWeighted(anchorK(s, 3), s.freq === 4 && s.n >= N ? w : 0.6);

/**
 * Per CV point, the ensemble's absolute error minus the others' (equal-weight mean's): its mean over
 * its standard error (points taken as independent, which they are not: a scale, not a test). Positive:
 * the ensemble did worse. 0 where there is nothing to compare.
 */
export function cvAdvantage(cvActual: number[][], ensCv: number[][], othersCv: number[][]): number {
  const d: number[] = [];
  for (let k = 0; k < cvActual.length; k++) {
    for (let i = 0; i < cvActual[k].length; i++) {
      const v = Math.abs(cvActual[k][i] - ensCv[k][i]) - Math.abs(cvActual[k][i] - othersCv[k][i]);
      if (Number.isFinite(v)) d.push(v);
    }
  }
  if (d.length < 2) return 0;
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (d.length - 1));
  return sd > 0 ? m / (sd / Math.sqrt(d.length)) : 0;
}
const othersCvOf = (s: Series, mem: Member[]) => s.cvActual.map((_, k) => weighted(mem.slice(1).map((x) => x.cvf[k])));
// Within noise: the ensemble weighs `w` unless the CV errors say the others' mean beat it by more than z standard errors.
for (const z of [0, 1, 2]) for (const w of [0.7, 0.8, 1]) rules[`ensWnoise${z}|${w}`] = (s) => {
  const mem = anchorK(s, 3);
  if (mem.length < 2 || mem[0].id !== 'ensemble') return { members: mem };
  return ensWeighted(mem, cvAdvantage(s.cvActual, mem[0].cvf, othersCvOf(s, mem)) > z ? 0.6 : w);
};
// Smoothly: w = 0.6 + (wMax - 0.6) * clamp(1 - t / z) (wMax where the ensemble did no worse, 0.6 where it did z se worse or more).
for (const z of [1, 2, 3]) for (const wMax of [0.8, 1]) rules[`ensWt${z}|${wMax}`] = (s) => {
  const mem = anchorK(s, 3);
  if (mem.length < 2 || mem[0].id !== 'ensemble') return { members: mem };
  const t = cvAdvantage(s.cvActual, mem[0].cvf, othersCvOf(s, mem));
  return ensWeighted(mem, 0.6 + (wMax - 0.6) * Math.min(1, Math.max(0, 1 - t / z)));
};
// Per-model CV error shrunk toward the ensemble's with N0 pseudo-points (N: the CV points), then anchor3inv's weights.
for (const N0 of [5, 10, 20]) for (const prior of [2, 3]) rules[`invShrink${N0}p${prior}`] = (s) => {
  const mem = anchorK(s, 3);
  const a = ens(s);
  if (!a || mem.length < 2) return { members: mem };
  const N = s.cvActual.reduce((x, r) => x + r.length, 0);
  const shrunk = mem.map((x) => ({ ...x, e: (N * x.e + N0 * a.e) / (N + N0) }));
  const p = inverseWeights(shrunk, 1, prior) as { members: Member[]; w: number[] };
  return { members: mem, w: p.w };
};
// The mean of the top two by CV where CV is decisive (the ensemble z se worse than their mean), else anchor3w.
for (const z of [1, 2]) rules[`top2if${z}else3w`] = (s) => {
  const mem = anchorK(s, 3);
  const a = ens(s);
  if (!a || mem.length < 2) return { members: mem };
  const t2 = ranked(s).slice(0, 2);
  if (t2.length === 2 && !t2.includes(a) && cvAdvantage(s.cvActual, a.cvf, s.cvActual.map((_, k) => weighted(t2.map((x) => x.cvf[k])))) > z) return { members: t2 };
  return ensWeighted(mem, 0.6);
};
// Few CV origins relative to the horizon: the span the CV points cover (n - the first origin) under one horizon.
for (const w of [0.7, 0.8]) rules[`ensW0.6|${w}@span<h`] = (s) => ensWeighted(anchorK(s, 3), s.origins.length && s.n - s.origins[0] < s.target.length ? w : 0.6);
// Fewer CV points, more ensemble: w = 0.6 + 0.4 N0 / (N0 + N), N the CV points.
for (const N0 of [5, 10]) rules[`ensWpts${N0}`] = (s) => ensWeighted(anchorK(s, 3), 0.6 + (0.4 * N0) / (N0 + s.cvActual.reduce((x, r) => x + r.length, 0)));
// Combinations: frequency step with anchor3inv's weights for monthly.
for (const w of [0.8, 1]) rules[`inv3|${w}@f<12`] = (s) => (s.freq < 12 ? ensWeighted(anchorK(s, 3), w) : inverseWeights(anchorK(s, 3), 1, 3));

// The long non-monthly step on top of anchor3inv's inverse-error weights.
for (const Y of [4, 5, 6]) for (const w of [0.7, 0.8, 0.9]) rules[`inv3|${w}@f<12&y>=${Y}`] = (s) => (s.freq < 12 && s.years >= Y ? ensWeighted(anchorK(s, 3), w) : inverseWeights(anchorK(s, 3), 1, 3));

// Issue 10, fifth comparison: models beside the defaults (choice-dump --extra theta,dynamic_theta).
// In the pool: they compete with the four others for anchor3w's three places by CV error.
for (const [tag, ids] of [['theta', ['theta']], ['dotm', ['dynamic_theta']], ['theta+dotm', ['theta', 'dynamic_theta']]] as const) {
  rules[`ensW0.6+3|pool+${tag}`] = (s) => {
    const a = ens(s);
    const extra = ids.map((id) => s.x[id]).filter((v): v is Member => v !== undefined);
    if (!a) return { members: anchorK(s, 3) };
    const pool = [...s.m.filter((v) => v !== a), ...extra].sort((p, q) => p.e - q.e);
    return ensWeighted([a, ...pool.slice(0, 3)], 0.6);
  };
}
// Theta as a second anchor: kept whatever its CV error, a third of the others' 0.4, the two best others the rest.
rules['ensW0.6+theta+2'] = (s) => {
  const a = ens(s);
  const t = s.x.theta;
  if (!a || !t) return ensWeighted(anchorK(s, 3), 0.6);
  return ensWeighted([a, t, ...ranked(s).filter((v) => v !== a).slice(0, 2)], 0.6);
};
// Where CV cannot tell the three best others apart (the third's CV error within `gap` of the best's), Theta takes their 0.4.
for (const gap of [0.05, 0.1, 0.2]) rules[`ensW0.6+theta@tie${gap}`] = (s) => {
  const a = ens(s);
  const t = s.x.theta;
  const mem = anchorK(s, 3);
  if (!a || !t || mem.length < 4 || mem[0] !== a) return ensWeighted(mem, 0.6);
  const others = mem.slice(1);
  return others[2].e <= others[0].e * (1 + gap) ? ensWeighted([a, t], 0.6) : ensWeighted(mem, 0.6);
};
rules['ensW0.6+theta'] = (s) => {
  const a = ens(s);
  const t = s.x.theta;
  if (!a || !t) return ensWeighted(anchorK(s, 3), 0.6);
  return ensWeighted([a, t], 0.6);
};

// Default models' extra runs swapped in for their own (e.g. damped_trend@mle for damped_trend), then
// anchor3w; several swaps are joined by ','. A series missing one of the extras keeps its defaults.
for (const swap of ['damped_trend@mle', 'ets@mle', 'ets@mle,damped_trend@mle']) {
  const ids = swap.split(',');
  rules[`ensW0.6+3|${swap}`] = (s) => {
    if (!ids.every((id) => s.x[id])) return ensWeighted(anchorK(s, 3), 0.6);
    const alt = (v: Member) => { const id = ids.find((x) => x.split('@')[0] === v.id); return id ? { ...s.x[id], id: v.id } : v; };
    return ensWeighted(anchorK({ ...s, m: s.m.map(alt) }, 3), 0.6);
  };
}

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

/** A rule's sMAPE minus a base rule's, series by series on one set: the mean, its t-statistic, and how many series it did better / worse on. */
export interface Paired { mean: number; t: number; wins: number; losses: number }

/**
 * Paired comparison of two rules on one validation set: the same series, so the series' own
 * difficulty cancels. |t| under 2 is within noise (and the sets share series, so the six sets'
 * t-values are not independent either).
 */
export function pairedAgainst(data: Series[], rule: (s: Series) => Pick, base: (s: Series) => Pick): Paired {
  return pairedStats(data.map((s) => smape(s.target, forecastOf(s, rule) ?? forecastOf(s, rules.anchor3)!) - smape(s.target, forecastOf(s, base) ?? forecastOf(s, rules.anchor3)!)));
}

/** Per-series differences (negative: better) as a Paired: their mean, its t-statistic, wins and losses. */
export function pairedStats(d: number[]): Paired {
  const n = d.length;
  const mean = n ? d.reduce((a, b) => a + b, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, t: sd > 0 ? mean / (sd / Math.sqrt(n)) : 0, wins: d.filter((x) => x < -1e-9).length, losses: d.filter((x) => x > 1e-9).length };
}
