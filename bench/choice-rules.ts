/**
 * Compares per-SKU choice rules offline on the validation dumps of bench/choice-dump.ts (every
 * default model's forecast and cross-validation forecasts, cached once per series): no model is
 * refitted, so dozens of rules cost seconds. Point forecasts only (sMAPE on the validation target,
 * which lies inside each series' training part); the rule kept is then checked with the real
 * chooseForecast, bands included.
 *
 * Usage: node dist/bench/choice-rules.js [--vs RULE] FILE... (e.g. short-o1.jsonl short-o2.jsonl short-o3.jsonl full-o1.jsonl full-o2.jsonl full-o3.jsonl)
 * The rules themselves are in bench/choice-rule-set.ts.
 * Prints per rule the sMAPE on each file, their mean, a +/- per file for "no worse than the best
 * single default model there", and the sMAPE by M3 category. With `--vs RULE`, then per rule its
 * paired difference from RULE on each file (series by series; t-statistic in brackets).
 */
import { load, pairedAgainst, rules, scoreRules } from './choice-rule-set.js';

function main(): void {
  const args = process.argv.slice(2);
  const vsAt = args.indexOf('--vs');
  const vs = vsAt >= 0 ? args.splice(vsAt, 2)[1] : null;
  if (vs !== null && !rules[vs]) {
    console.error(`choice-rules: no rule named ${vs}`);
    process.exit(2);
  }
  const files = args;
  if (files.length === 0) {
    console.error('choice-rules: name one or more dumps of bench/choice-dump.js');
    process.exit(2);
  }
  const sets = files.map((f) => ({ name: f.split('/').pop()!.replace(/\.jsonl$/, ''), data: load(f).filter((s) => s.m.length > 0) }));
  const table = scoreRules(sets.map((x) => x.data));
  const bestSingle = sets.map((_, i) => Math.min(...table.filter((r) => r.name.startsWith('single:')).map((r) => r.bySet[i].all)));
  console.log(`${'rule'.padEnd(20)}${sets.map((s) => s.name.padStart(10)).join('')}${'mean'.padStart(8)}  vs best single | by category`);
  for (const r of table) {
    const v = r.bySet.map((b) => b.all);
    const marks = v.map((x, i) => (x <= bestSingle[i] ? '+' : '-')).join('');
    const cats = r.bySet.map((b) => Object.entries(b).filter(([k]) => k !== 'all').map(([k, x]) => `${k[0]}${x.toFixed(2)}`).join(' ')).join(' | ');
    console.log(`${r.name.padEnd(20)}${v.map((x) => x.toFixed(3).padStart(10)).join('')}${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3).padStart(8)}  ${marks.padEnd(14)} | ${cats}`);
  }
  if (vs !== null) {
    console.log(`\npaired against ${vs}: mean sMAPE difference per file (t), then series better / worse over all files`);
    for (const [name, rule] of Object.entries(rules)) {
      if (name === vs) continue;
      const p = sets.map((s) => pairedAgainst(s.data, rule, rules[vs]));
      const cells = p.map((x) => `${x.mean >= 0 ? '+' : ''}${x.mean.toFixed(3)}(${x.t.toFixed(1)})`.padStart(14)).join('');
      console.log(`${name.padEnd(24)}${cells}  ${p.reduce((a, x) => a + x.wins, 0)} / ${p.reduce((a, x) => a + x.losses, 0)}`);
    }
  }
  console.log(`series: ${sets.map((s) => `${s.name} ${s.data.length}`).join(', ')}; best single: ${bestSingle.map((x) => x.toFixed(3)).join(' ')}`);
}

main();
