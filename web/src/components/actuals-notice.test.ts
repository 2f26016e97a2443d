import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setFormatLocale } from '../format.js';
import { actualsNotice, readableWarning } from './actuals-notice.js';

beforeEach(() => setFormatLocale('en-US'));
afterEach(() => setFormatLocale(undefined));

// Intl writes a range with thin spaces around its dash: compared with plain ones.
const plain = (s: string) => s.replace(/\s/g, ' ');
const counts = { skusChanged: 4, periodsAdded: 4, valuesRevised: 0, skusAdded: 0, jobsCreated: 20, jobsReused: 0 };

describe('actualsNotice', () => {
  it('names the month to date by its days, and leaves out the counts that are zero (was: "0 values revised, 0 new SKUs ... 0 stored values kept, 4 written as provisional", no date)', () => {
    const out = {
      ...counts,
      partial: { provisional: 4, kept: 0, settled: 0, values: [] },
      report: { partialPeriods: [{ edge: 'last' as const, period: '2026-12-01', from: '2026-12-01', to: '2026-12-05', days: 5, of: 31, values: { provisional: 4, kept: 0 } }] },
    };
    expect(plain(actualsNotice(out))).toBe(
      '4 SKUs changed: 4 periods added; 20 jobs queued. Only part of a month: Dec 1 – 5 (5 of 31 days); 4 SKUs have it as provisional until a file covers the whole month.',
    );
  });

  it('counts reused jobs as forecasts unchanged, not as queued (was: "20 jobs queued" when 16 of them recomputed nothing)', () => {
    const out = { ...counts, jobsReused: 16, partial: { provisional: 0, kept: 0, settled: 0, values: [] }, report: {} };
    expect(actualsNotice(out)).toBe('4 SKUs changed: 4 periods added; 4 jobs queued, 16 forecasts unchanged (same inputs).');
    expect(actualsNotice({ ...out, jobsReused: 20 })).toBe('4 SKUs changed: 4 periods added; no job queued, 20 forecasts unchanged (same inputs).');
  });

  it('a file of the days since the last one names the days its SKUs now have to date, not its own (was: "Dec 6 (1 of 31 days)" after Dec 1 - 5 stored)', () => {
    const out = {
      ...counts, periodsAdded: 0,
      partial: { provisional: 0, kept: 0, settled: 0, values: [{ sku: 'A', period: '2026-12-01', value: 60, previous: 50, stored: 'provisional' as const, outcome: 'joined' as const, storedSpan: { from: '2026-12-01', to: '2026-12-05' } }] },
      report: { partialPeriods: [{ edge: 'last' as const, period: '2026-12-01', from: '2026-12-06', to: '2026-12-06', days: 1, of: 31, values: { provisional: 4, kept: 0 } }] },
    };
    expect(plain(actualsNotice(out))).toBe(
      '4 SKUs changed; 20 jobs queued. Only part of a month: Dec 1 – 6 (6 of 31 days); 4 SKUs have it as provisional until a file covers the whole month.',
    );
  });

  it('says which SKUs kept their stored value, in the singular for one', () => {
    const out = {
      ...counts, skusChanged: 0, periodsAdded: 0, jobsCreated: 0,
      partial: { provisional: 0, kept: 1, settled: 0, values: [] },
      report: { partialPeriods: [{ edge: 'inside' as const, period: '2024-03-11', from: '2024-03-13', to: '2024-03-13', days: 1, of: 7, values: { provisional: 0, kept: 1 } }] },
    };
    expect(plain(actualsNotice(out))).toBe('Nothing changed: the stored values were kept. No job queued. Only part of a week: Mar 13 (1 of 7 days); 1 SKU kept its stored value.');
  });

  it('without the report\'s periods, still counts with their nouns', () => {
    const out = { ...counts, partial: { provisional: 2, kept: 1, settled: 3, values: [] }, report: {} };
    expect(actualsNotice(out)).toBe(
      '4 SKUs changed: 4 periods added; 20 jobs queued. 3 provisional values made final. Periods the file covers only in part: 1 stored value kept and 2 values written as provisional until a file covers their periods whole.',
    );
  });
});

describe('readableWarning', () => {
  it('writes the API\'s dates as the app does, and starts with a capital', () => {
    expect(readableWarning('partial periods, never written over a complete value: the last (2026-12-01) has data from 2026-12-01 to 2026-12-05 only, 5 of its 31 days (4 SKUs written as provisional)')).toBe(
      'Partial periods, never written over a complete value: the last (Dec 1, 2026) has data from Dec 1, 2026 to Dec 5, 2026 only, 5 of its 31 days (4 SKUs written as provisional)',
    );
  });
});
