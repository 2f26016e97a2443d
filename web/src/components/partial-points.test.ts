import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setFormatLocale } from '../format.js';
import { skuPartialPoints, totalPartialPoints } from './partial-points.js';

beforeEach(() => setFormatLocale('en-US'));
afterEach(() => setFormatLocale(undefined));

// Intl writes a range with thin spaces around its dash: compared with plain ones.
const plain = (s: string) => s.replace(/\s/g, ' ');

describe('partial points', () => {
  it("names a SKU's month to date by its days, of the month's", () => {
    const points = skuPartialPoints({
      dates: ['2026-11-01', '2026-12-01'],
      edits: {},
      provisional: { '2026-12-01': { from: '2026-12-01', to: '2026-12-05', value: 52, periodDays: 31 } },
    });
    expect(points.map((p) => [p.date, plain(p.label), plain(p.short)])).toEqual([['2026-12-01', 'Dec 1 – 5 so far (5 of 31 days)', 'Dec 1 – 5 so far']]);
  });

  it("leaves out a provisional period the planner edited: it is the planner's whole period", () => {
    const points = skuPartialPoints({
      dates: ['2026-11-01', '2026-12-01'],
      edits: { '1': 320 },
      provisional: { '2026-12-01': { from: '2026-12-01', to: '2026-12-05', value: 52, periodDays: 31 } },
    });
    expect(points).toEqual([]);
  });

  it("names a total's partial date, with how many of its SKUs are to date when not all", () => {
    const points = totalPartialPoints({
      dates: ['2026-11-01', '2026-12-01'],
      original: [900, 400],
      cleaned: [900, 400],
      skus: [3, 3],
      provisional: [0, 2],
      provisionalSpan: [null, { from: '2026-12-01', to: '2026-12-05', periodDays: 31 }],
    });
    expect(points.map((p) => [p.date, plain(p.label)])).toEqual([['2026-12-01', 'Dec 1 – 5 so far (5 of 31 days, 2 of 3 SKUs)']]);
  });
});
