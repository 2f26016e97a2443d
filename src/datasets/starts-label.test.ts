import { describe, expect, it } from 'vitest';
import { startsLabel } from './starts-label.js';

describe('startsLabel', () => {
  it('names both counts on a tie, the earliest leading (was: "2024-02-01 (2 SKUs from 2024-01-01)" for 2 and 2)', () => {
    expect(startsLabel([{ period: '2024-01-01', skus: 2 }, { period: '2024-02-01', skus: 2 }], '2024-01-01')).toBe('2024-01-01 (2 SKUs; 2 SKUs from 2024-02-01)');
  });

  it('lists other starts on both sides of the lead, never a range across it; more than 3 on both sides are "other dates"', () => {
    expect(startsLabel([{ period: '2024-01-01', skus: 1 }, { period: '2024-02-01', skus: 40 }, { period: '2024-03-01', skus: 1 }], '2024-01-01'))
      .toBe('2024-02-01 (1 SKU from 2024-01-01; 1 SKU from 2024-03-01)');
    const around = ['2023-10-01', '2023-11-01', '2024-02-01', '2024-03-01', '2024-04-01'].map((period) => ({ period, skus: period === '2024-02-01' ? 40 : 1 }));
    expect(startsLabel(around, '2023-10-01')).toBe('2024-02-01 (4 SKUs from other dates)');
    const before = ['2023-09-01', '2023-10-01', '2023-11-01', '2023-12-01', '2024-02-01'].map((period) => ({ period, skus: period === '2024-02-01' ? 40 : 1 }));
    expect(startsLabel(before, '2023-09-01')).toBe('2024-02-01 (4 SKUs from 2023-09-01 to 2023-12-01)');
  });

  it('one start: the snapshot\'s forecastStart', () => {
    expect(startsLabel([{ period: '2024-02-01', skus: 3 }], '2024-02-01')).toBe('2024-02-01');
    expect(startsLabel([], null)).toBeNull();
  });
});
