/**
 * One choice rule on two sets of validation dumps (bench/choice-dump.ts) of the same series made
 * by two builds of the engine: the paired per-series sMAPE difference (B minus A) per set, its
 * t-statistic, and the sMAPE by M3 category, so an engine change is judged by what the per-SKU
 * choice forecasts, on training data only. No model is refitted.
 *
 * Usage: node dist/bench/choice-compare.js [--rule RULE] DIR_A DIR_B [SET...]
 *   DIR_A, DIR_B  directories holding SET.jsonl dumps (default sets short-o1..3, full-o1..3)
 *   --rule RULE   a rule of bench/choice-rule-set.ts (default ensW0.6+3, the app's anchor3w)
 * A series missing from one directory, or without the rule's forecast in either, is left out (choice-rules'
 * pairedAgainst falls back to anchor3 instead: there both sides come from one dump).
 */
import { existsSync } from 'node:fs';
import { smape } from '../src/forecasting/metrics.js';
import { forecastOf, load, pairedStats, rules, type Series } from './choice-rule-set.js';

const SETS = ['short-o1', 'short-o2', 'short-o3', 'full-o1', 'full-o2', 'full-o3'];

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--rule');
  const name = at >= 0 ? args.splice(at, 2)[1] : 'ensW0.6+3';
  const rule = name in rules ? rules[name] : undefined;
  const [a, b, ...sets] = args;
  if (rule === undefined || !a || !b) {
    console.error(`choice-compare: ${rule ? 'name two dump directories' : `no rule named ${name}`}`);
    process.exit(2);
  }
  const key = (s: Series) => `${s.cat}:${s.n}:${s.target.join(',')}`;
  const means: number[][] = [];
  console.log(`rule ${name}: sMAPE per set, B minus A series by series (t), by category A -> B`);
  for (const set of sets.length ? sets : SETS) {
    if (!existsSync(`${a}/${set}.jsonl`) || !existsSync(`${b}/${set}.jsonl`)) continue;
    const other = new Map(load(`${b}/${set}.jsonl`).filter((s) => s.m.length > 0).map((s) => [key(s), s]));
    const d: number[] = [];
    const byCat: Record<string, [number, number][]> = {};
    for (const s of load(`${a}/${set}.jsonl`).filter((x) => x.m.length > 0)) {
      const t = other.get(key(s));
      const fa = forecastOf(s, rule);
      const fb = t ? forecastOf(t, rule) : null;
      if (!fa || !fb) continue;
      const pair: [number, number] = [smape(s.target, fa), smape(s.target, fb)];
      d.push(pair[1] - pair[0]);
      (byCat[s.cat] ??= []).push(pair);
    }
    const all = Object.values(byCat).flat();
    const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
    const p = pairedStats(d);
    means.push([mean(all.map((x) => x[0])), mean(all.map((x) => x[1]))]);
    const cats = Object.entries(byCat).map(([c, v]) => `${c} ${mean(v.map((x) => x[0])).toFixed(2)} -> ${mean(v.map((x) => x[1])).toFixed(2)}`).join(', ');
    console.log(`${set.padEnd(10)} ${String(d.length).padStart(5)} series  A ${means.at(-1)![0].toFixed(3)}  B ${means.at(-1)![1].toFixed(3)}  ${p.mean >= 0 ? '+' : ''}${p.mean.toFixed(3)} (${p.t.toFixed(1)}), better on ${p.wins}, worse on ${p.losses}  | ${cats}`);
  }
  if (means.length === 0) {
    console.error('choice-compare: no set found in both directories');
    process.exit(2);
  }
  console.log(`mean over ${means.length} sets: A ${(means.reduce((p, x) => p + x[0], 0) / means.length).toFixed(3)}, B ${(means.reduce((p, x) => p + x[1], 0) / means.length).toFixed(3)}`);
}

main();
