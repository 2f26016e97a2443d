import { describe, expect, it } from 'vitest';
import { readCsvDataset } from './csv-dataset-reader.js';
import { sampleCsv, sampleCsvChunks } from './sample-dataset.js';

describe('sample dataset', () => {
  it('is the same on every run and different for another seed', () => {
    expect(sampleCsv({ skus: 20 })).toBe(sampleCsv({ skus: 20 }));
    expect(sampleCsv({ skus: 20, seed: 7 })).not.toBe(sampleCsv({ skus: 20 }));
  });

  it('reads as 200 monthly SKUs over 4 years with every demand class', async () => {
    const { series, report } = await readCsvDataset(sampleCsvChunks(), { fillGaps: 'zero', minLength: 0 });
    expect(report.frequency).toBe('monthly');
    expect(report.skus).toBe(200);
    expect(report.rejectedCount).toBe(0);
    expect(report.dateRange).toEqual({ start: '2021-01-01', end: '2024-12-01' });
    const classes = new Set(series.map((s) => s.demandClass));
    expect(classes).toContain('smooth');
    expect([...classes].some((c) => c === 'intermittent' || c === 'lumpy')).toBe(true);
    // Some products launch partway through.
    expect(series.some((s) => s.length < 48)).toBe(true);
    expect(series.filter((s) => s.length === 48).length).toBeGreaterThan(150);
  });
});
