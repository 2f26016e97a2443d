import { describe, expect, it } from 'vitest';
import { mergeActuals } from './actuals-merge.js';
import type { SeriesRecord } from './dataset.js';

function series(dates: string[], original: number[], edits: Record<number, number> = {}): SeriesRecord {
  return { datasetId: 'd', sku: 'A', attributes: { store: 'S1' }, dates, original, edits, length: dates.length, volume: 0, demandClass: 'smooth', updatedAt: 0 };
}

describe('mergeActuals', () => {
  it('appends new periods in the history\'s own date convention and keeps attributes and edits', () => {
    const had = series(['2024-01-31', '2024-02-29', '2024-03-31'], [1, 2, 3], { 1: 20 });
    const out = mergeActuals(had, { dates: ['2024-04-01', '2024-05-01'], original: [4, 5] }, 'monthly', 'zero');
    expect(out.series.dates).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']);
    expect(out.series.original).toEqual([1, 2, 3, 4, 5]);
    expect(out.series.edits).toEqual({ 1: 20 });
    expect(out.series.volume).toBe(1 + 20 + 3 + 4 + 5);
    expect(out.series.attributes).toEqual({ store: 'S1' });
    expect(out).toMatchObject({ changed: true, periodsAdded: 2, revisions: [] });
  });

  it('overwrites a changed period (audited, its edit gives way), leaves equal ones alone, and is a no-op the second time', () => {
    const had = series(['2024-01-01', '2024-02-01', '2024-03-01'], [1, 2, 3], { 0: 9, 2: 30 });
    const out = mergeActuals(had, { dates: ['2024-02-01', '2024-03-01'], original: [2, 7] }, 'monthly', 'zero');
    expect(out.series.original).toEqual([1, 2, 7]);
    expect(out.series.edits).toEqual({ 0: 9 });
    expect(out.revisions).toEqual([{ sku: 'A', date: '2024-03-01', previous: 3, value: 7 }]);
    const again = mergeActuals({ ...had, ...out.series, datasetId: 'd', updatedAt: 0, attributes: {} }, { dates: ['2024-02-01', '2024-03-01'], original: [2, 7] }, 'monthly', 'zero');
    expect(again).toMatchObject({ changed: false, periodsAdded: 0, revisions: [] });
  });

  it('fills no period a rejected line is dated in (any day of it), nor, with a rejected line of unread date, any period within the file\'s span', () => {
    const had = series(['2024-01-01', '2024-01-08', '2024-01-15'], [5, 6, 7]);
    const file = { dates: ['2024-02-05'], original: [9] };
    const dated = mergeActuals(had, file, 'weekly', 'zero', { rejected: { dates: ['2024-01-24'] } });
    expect(dated.series.dates).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-29', '2024-02-05']);
    expect(dated.filled).toEqual(['2024-01-29']);
    expect(dated.unfilled).toEqual(['2024-01-22']);
    const undated = mergeActuals(had, { dates: ['2024-01-29', '2024-02-12'], original: [8, 9] }, 'weekly', 'zero', { rejected: { dates: [], span: { from: '2024-01-29', to: '2024-02-12' } } });
    expect(undated.filled).toEqual(['2024-01-22']);
    expect(undated.unfilled).toEqual(['2024-02-05']);
  });

  it('fills a gap before new periods with zero (fillGaps zero) or leaves it out (report), and re-indexes edits when periods come before', () => {
    const had = series(['2024-01-01', '2024-01-08', '2024-01-15'], [5, 6, 7], { 1: 60 });
    const gap = mergeActuals(had, { dates: ['2024-02-05'], original: [9] }, 'weekly', 'zero');
    expect(gap.series.dates).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29', '2024-02-05']);
    expect(gap.series.original).toEqual([5, 6, 7, 0, 0, 9]);
    expect(gap.periodsAdded).toBe(3);
    expect(gap.filled).toEqual(['2024-01-22', '2024-01-29']);
    const report = mergeActuals(had, { dates: ['2024-02-05'], original: [9] }, 'weekly', 'report');
    expect(report.series.original).toEqual([5, 6, 7, 9]);
    expect(report.filled).toEqual([]);
    const before = mergeActuals(had, { dates: ['2023-12-25'], original: [4] }, 'weekly', 'zero');
    expect(before.series.dates[0]).toBe('2023-12-25');
    expect(before.series.edits).toEqual({ 2: 60 });
  });

  describe('a period the file covers in part', () => {
    // Weeks of 2024 from Monday 1 January; the file's last week, 2024-01-22, has Monday to Wednesday.
    const weeks = ['2024-01-01', '2024-01-08', '2024-01-15'];
    const partial = [{ edge: 'last' as const, period: '2024-01-22', from: '2024-01-22', to: '2024-01-24', days: 3, of: 7 }];
    const file = { dates: ['2024-01-15', '2024-01-22'], original: [70, 30] };

    it('fills a period with no value, as provisional', () => {
      const out = mergeActuals(series(weeks, [70, 70, 70]), file, 'weekly', 'zero', { partial });
      expect(out.series.original).toEqual([70, 70, 70, 30]);
      expect(out.series.provisional).toEqual({ '2024-01-22': { from: '2024-01-22', to: '2024-01-24', value: 30 } });
      expect(out).toMatchObject({ changed: true, periodsAdded: 1, revisions: [], settled: 0 });
      expect(out.partialValues).toEqual([{ sku: 'A', period: '2024-01-22', value: 30, previous: null, stored: 'none', outcome: 'provisional' }]);
    });

    it('never replaces a complete value, lower or higher, and changes nothing else for it', () => {
      for (const stored of [70, 10]) {
        const out = mergeActuals(series([...weeks, '2024-01-22'], [70, 70, 70, stored], { 3: 65 }), file, 'weekly', 'zero', { partial });
        expect(out.series.original.at(-1)).toBe(stored);
        expect(out.series.edits).toEqual({ 3: 65 });
        expect(out).toMatchObject({ changed: false, revisions: [], partialValues: [{ previous: stored, stored: 'complete', outcome: 'kept' }] });
      }
    });

    it('replaces a provisional value over fewer days, keeps one over days the file lacks, and a whole period settles it', () => {
      const had = { ...series([...weeks, '2024-01-22'], [70, 70, 70, 20]), provisional: { '2024-01-22': { from: '2024-01-22', to: '2024-01-23', value: 20 } } };
      const wider = mergeActuals(had, file, 'weekly', 'zero', { partial });
      expect(wider.series.original.at(-1)).toBe(30);
      expect(wider.series.provisional).toEqual({ '2024-01-22': { from: '2024-01-22', to: '2024-01-24', value: 30 } });
      expect(wider.revisions).toEqual([{ sku: 'A', date: '2024-01-22', previous: 20, value: 30 }]);
      // Tuesday to Thursday: more days, but not Monday's.
      const shifted = [{ ...partial[0], from: '2024-01-23', to: '2024-01-25' }];
      const kept = mergeActuals(had, file, 'weekly', 'zero', { partial: shifted });
      expect(kept).toMatchObject({ changed: false, partialValues: [{ previous: 20, stored: 'provisional', outcome: 'kept' }] });
      expect(kept.series.provisional).toEqual(had.provisional);
      // The whole week (no partial period): a revision, and the value is complete.
      const whole = mergeActuals(had, { dates: ['2024-01-22'], original: [20] }, 'weekly', 'zero');
      expect(whole).toMatchObject({ changed: true, settled: 1, revisions: [] });
      expect(whole.series.provisional).toBeUndefined();
    });

    it('keeps provisional periods on their dates when periods are prepended', () => {
      const had = { ...series(weeks, [70, 70, 9]), provisional: { '2024-01-15': { from: '2024-01-15', to: '2024-01-16', value: 9 } } };
      const out = mergeActuals(had, { dates: ['2023-12-25'], original: [4] }, 'weekly', 'zero');
      expect(out.series.dates[0]).toBe('2023-12-25');
      expect(out.series.provisional).toEqual(had.provisional);
    });
  });
});
