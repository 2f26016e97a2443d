import { describe, expect, it } from 'vitest';
import { classifyDemand, demandStatistics } from './demand-class.js';

describe('classifyDemand (Syntetos-Boylan)', () => {
  it('puts each quadrant where ADI and CV² say', () => {
    expect(classifyDemand([10, 11, 9, 10, 12, 10, 9, 11])).toBe('smooth');
    expect(classifyDemand([1, 30, 2, 25, 1, 40, 3, 20])).toBe('erratic');
    expect(classifyDemand([0, 0, 5, 0, 0, 6, 0, 0, 5, 0])).toBe('intermittent');
    expect(classifyDemand([0, 0, 1, 0, 0, 40, 0, 0, 2, 0])).toBe('lumpy');
  });
  it('computes ADI as periods per demand and CV² of the demand sizes', () => {
    const s = demandStatistics([0, 4, 0, 4]);
    expect(s.adi).toBe(2);
    expect(s.cv2).toBe(0);
  });
});
