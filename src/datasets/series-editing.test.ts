import { describe, expect, it } from 'vitest';
import type { SeriesRecord } from './dataset.js';
import { DatasetValidationError } from './dataset-validation-error.js';
import { applySeriesPatch, seriesDetail } from './series-editing.js';

const dates = Array.from({ length: 36 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const original = dates.map((_, t) => Math.round(100 + 30 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5)));
original[14] = 900;
const record: SeriesRecord = { datasetId: 'd', sku: 'A', attributes: {}, dates, original, edits: {}, length: 36, volume: 0, demandClass: 'smooth', updatedAt: 0 };

describe('series editing', () => {
  it('suggests the spike and accepting it edits only that point; the original stays', () => {
    const detail = seriesDetail(record, 'monthly');
    expect(detail.outliers.map((o) => o.date)).toEqual(['2021-03-01']);
    const update = applySeriesPatch(record, { acceptOutliers: true }, 'monthly');
    expect(Object.keys(update.edits)).toEqual(['14']);
    expect(update.edits[14]).toBe(detail.outliers[0].suggested);
    expect(update.volume).toBeLessThan(original.reduce((a, b) => a + b, 0));
    expect(record.original[14]).toBe(900);
    const after = seriesDetail({ ...record, ...update }, 'monthly');
    expect(after.outliers[0].accepted).toBe(true);
    expect(after.cleaned[14]).toBe(update.edits[14]);
  });

  it('edits, resets one edit and undoes all', () => {
    const edited = { ...record, ...applySeriesPatch(record, { edits: [{ date: '2020-01-01', value: 5 }, { date: '2020-02-01', value: 6 }] }, 'monthly') };
    expect(edited.edits).toEqual({ 0: 5, 1: 6 });
    expect(applySeriesPatch(edited, { reset: ['2020-01-01'] }, 'monthly').edits).toEqual({ 1: 6 });
    expect(applySeriesPatch(edited, { undoAll: true }, 'monthly').edits).toEqual({});
    // Setting a value back to the original is no edit.
    expect(applySeriesPatch(edited, { edits: [{ date: '2020-02-01', value: original[1] }] }, 'monthly').edits).toEqual({ 0: 5 });
  });

  it('names each bad field', () => {
    try {
      applySeriesPatch(record, { edits: [{ date: '2020-01-01', value: -1 }, { date: '1999-01-01', value: 1 }, { date: '2020-02-01', value: 1e308 }], acceptOutliers: ['2020-05-01'] }, 'monthly');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetValidationError);
      expect((error as DatasetValidationError).details.map((d) => d.path)).toEqual(['acceptOutliers[0]', 'edits[0].value', 'edits[1].date', 'edits[2].value']);
    }
    // The models' bound itself is taken.
    expect(applySeriesPatch(record, { edits: [{ date: '2020-01-01', value: 1e15 }] }, 'monthly').edits).toEqual({ 0: 1e15 });
  });
});
