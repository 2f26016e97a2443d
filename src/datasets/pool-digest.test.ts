import { describe, expect, it } from 'vitest';
import type { SeriesRecord } from './dataset.js';
import { poolDigestOf } from './pool-digest.js';

type S = Pick<SeriesRecord, 'sku' | 'dates' | 'original' | 'edits' | 'provisional' | 'attributes'>;
const months = (n: number) => Array.from({ length: n }, (_, i) => `${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const sku = (name: string, n: number, category = 'toys'): S => ({ sku: name, dates: months(n), original: months(n).map((_, i) => 10 + i), edits: {}, attributes: { sku: name, category } });
const withMonthToDate = (s: S, value: number): S => {
  const date = months(s.dates.length + 1).at(-1)!;
  return { ...s, dates: [...s.dates, date], original: [...s.original, value], provisional: { [date]: { from: date, to: date.replace(/01$/, '05'), value } } };
};
const report = { mapping: { sku: 'sku', date: 'month', quantity: 'units', attributes: ['sku', 'category'] }, dateRange: { start: '2022-01-01', end: '2024-12-01' } };
const digest = (series: S[], r = report, frequency: 'monthly' | 'daily' = 'monthly') => poolDigestOf({ frequency, report: r }, series);
const base = () => [sku('L0', 36), sku('L1', 36), sku('L2', 36), sku('S', 14)];

describe('poolDigestOf: the identity of what a dataset\'s pooled profiles are made from', () => {
  it('names whole periods only: the month to date changes nothing, in any SKU, on any day', () => {
    const d = digest(base());
    expect(digest(base().map((s) => withMonthToDate(s, 3)))).toBe(d);
    expect(digest(base().map((s) => withMonthToDate(s, 7)))).toBe(d);
    expect(digest(base().reverse())).toBe(d); // the order of the reads is not an input
  });

  it('changes with anything a profile depends on', () => {
    const d = digest(base());
    const other = (f: (series: S[]) => void) => { const series = base(); f(series); return digest(series); };
    expect(other((s) => { s[0].original[30] = 999; })).not.toBe(d); // another SKU's whole period revised
    expect(other((s) => { s[0].edits = { 30: 999 }; })).not.toBe(d); // or edited (cleaning)
    expect(other((s) => { s[1] = { ...s[1], dates: months(37), original: [...s[1].original, 5] }; })).not.toBe(d); // a whole period appended
    expect(other((s) => { s[2] = { ...s[2], attributes: { sku: 'L2', category: 'garden' } }; })).not.toBe(d); // a SKU moved to another group
    expect(other((s) => { s.push(sku('N', 3)); })).not.toBe(d); // a SKU added
    expect(other((s) => { s.pop(); })).not.toBe(d); // or deleted
    expect(digest(base(), { ...report, mapping: { ...report.mapping, attributes: ['sku'] } })).not.toBe(d); // no group column any more
    // A provisional period the planner edited is their value for the whole period: trained on, pooled, named.
    expect(other((s) => { s[0] = withMonthToDate(s[0], 3); s[0].edits = { 36: 12 }; })).not.toBe(d);
  });

  it('an attribute the pool does not group by is not an input', () => {
    const series = base();
    series[0] = { ...series[0], attributes: { ...series[0].attributes, colour: 'red' } };
    expect(digest(series)).toBe(digest(base()));
  });

  it('daily: the cut-off comes from the report\'s date range, so its end is named', () => {
    const daily = (end: string) => digest(base(), { ...report, dateRange: { start: '2022-01-01', end } }, 'daily');
    expect(daily('2024-12-31')).not.toBe(daily('2025-01-01'));
  });
});
