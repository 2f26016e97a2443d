import { describe, expect, it } from 'vitest';
import { memberSd } from './aggregates.js';

const Z95 = 1.959963984540054;

describe('memberSd (the scale a member brings to the band of a sum)', () => {
  it('reads a symmetric band as mean +- z sd', () => {
    expect(memberSd(100, 100 - Z95 * 7, 100 + Z95 * 7, Z95)).toBeCloseTo(7, 9);
  });

  it('reads a band whose lower bound the engine cut at zero from its upper half, not its shrunken width', () => {
    // A slow mover: mean 2, sd 3; the 95% band 2 +- 5.88 is shown as [0, 7.88].
    const sd = memberSd(2, 0, 2 + Z95 * 3, Z95);
    expect(sd).toBeCloseTo(3, 9);
    expect((2 + Z95 * 3) / (2 * Z95)).toBeLessThan(2.1); // what the width alone would have said
  });

  it('symmetrizes an asymmetric band that is not cut (a multiplicative model), and gives 0 for a missing one', () => {
    expect(memberSd(10, 6, 16, Z95)).toBeCloseTo(10 / (2 * Z95), 9);
    expect(memberSd(10, Number.NaN, 16, Z95)).toBe(0);
    expect(memberSd(10, 10, 10, Z95)).toBe(0);
  });
});
