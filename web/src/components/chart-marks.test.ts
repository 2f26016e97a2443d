import { describe, expect, it } from 'vitest';
import { markTime } from './chart-marks.js';

const dates = ['2024-01-01', '2024-02-01', '2024-03-01'];
const times = [100, 200, 300];

describe('markTime', () => {
  it('stands halfway between the last date on or before `after` and the next: every point left of it is on or before it', () => {
    expect(markTime(dates, times, '2024-02-01')).toBe(250);
    // A snapshot dated inside a period (a SKU's own dates differ): after the last date not past it.
    expect(markTime(dates, times, '2024-02-15')).toBe(250);
  });

  it('stands on the last date when none follows, and nowhere before the first date', () => {
    expect(markTime(dates, times, '2024-03-01')).toBe(300);
    expect(markTime(dates, times, '2023-12-01')).toBeNull();
  });
});
