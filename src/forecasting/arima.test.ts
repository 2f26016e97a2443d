import { describe, expect, it } from 'vitest';
import { cssResiduals } from './arima.js';
import { admissible } from './arima-polynomials.js';

/** Roots of 1 + t1 z + t2 z^2 all outside the unit circle: the MA(2) factor is invertible. */
function invertibleByRoots(t1: number, t2: number): boolean {
  const disc = t1 * t1 - 4 * t2;
  if (disc >= 0) {
    const r1 = (-t1 + Math.sqrt(disc)) / (2 * t2);
    const r2 = (-t1 - Math.sqrt(disc)) / (2 * t2);
    return Math.abs(r1) > 1 && Math.abs(r2) > 1;
  }
  return Math.sqrt(1 / t2) > 1; // complex pair: |z|^2 = 1 / t2
}

describe('ARIMA admissibility', () => {
  it('MA(2) invertibility is the region of 1 + theta1 B + theta2 B^2, not its mirror', () => {
    expect(admissible([0.6, 0.5], 0, 2, 1)).toBe(true);
    expect(admissible([-0.9, -0.5], 0, 2, 1)).toBe(false);
    // The AR(2) triangle for 1 - phi1 B - phi2 B^2 is unchanged.
    expect(admissible([0.6, 0.3], 0, 2, -1)).toBe(true);
    expect(admissible([0.6, 0.5], 0, 2, -1)).toBe(false);
  });

  it('agrees with the roots of the MA polynomial on a grid away from the 0.99 margin', () => {
    for (let a = -1.9; a <= 1.9; a += 0.1) {
      for (let b = -0.9; b <= 0.9; b += 0.1) {
        if (Math.abs(b) < 1e-9) continue;
        // Points within the 0.99 safety margin of the boundary are rejected on purpose.
        if (Math.abs(Math.abs(b) - 1) < 0.02 || Math.abs(-a - b - 1) < 0.02 || Math.abs(a - b - 1) < 0.02) continue;
        expect(admissible([a, b], 0, 2, 1), `theta = (${a.toFixed(1)}, ${b.toFixed(1)})`).toBe(invertibleByRoots(a, b));
      }
    }
  });
});

describe('cssResiduals', () => {
  /** The recursion as written in the comment, one term at a time in ascending lag order, AR first. */
  function plainCss(wc: Float64Array, ar: Float64Array, ma: Float64Array, start: number): { sse: number; e: Float64Array } {
    const e = new Float64Array(wc.length);
    let sse = 0;
    for (let t = start; t < wc.length; t++) {
      let v = wc[t];
      for (let i = 1; i < ar.length; i++) if (ar[i] !== 0) v += ar[i] * wc[t - i];
      for (let j = 1; j < ma.length; j++) if (ma[j] !== 0 && j <= t) v -= ma[j] * e[t - j];
      e[t] = v;
      sse += v * v;
    }
    return { sse, e };
  }
  const lagsOf = (poly: Float64Array) => Int32Array.from([...poly.keys()].filter((i) => i > 0 && poly[i] !== 0));

  // Dense polynomials as expand makes them: (0,2)(0,0); (2,1)(1,1)[4]; (0,3)(0,1)[4], 7 MA lags
  // (above the four the loop keeps in locals). Pure MA orders start at t = 0: every warm-up step
  // (an MA lag reaching before the series) is checked.
  const cases: Array<{ name: string; ar: number[]; ma: number[] }> = [
    { name: '(0,2)(0,0)', ar: [1], ma: [1, 0.6, -0.3] },
    { name: '(2,1)(1,1)[4]', ar: [1, -0.5, 0.2, 0, -0.4, 0.2, -0.08], ma: [1, 0.3, 0, 0, 0.5, 0.15] },
    { name: '(0,3)(0,1)[4]', ar: [1], ma: [1, 0.4, -0.2, 0.1, 0.5, 0.2, -0.1, 0.05] },
  ];
  for (const c of cases) {
    it(`equals the plain recursion bit for bit, warm-up included: ${c.name}`, () => {
      const wc = Float64Array.from({ length: 15 }, (_, t) => Math.sin(t * 1.3) * 10 + (t % 4) - 1.5);
      const ar = Float64Array.from(c.ar);
      const ma = Float64Array.from(c.ma);
      const maLags = lagsOf(ma);
      const start = ar.length - 1;
      const e = new Float64Array(wc.length).fill(Number.NaN); // a stale buffer: every entry must be written
      const sse = cssResiduals(wc, ar, ma, lagsOf(ar), maLags, start, maLags.length > 0 ? maLags[maLags.length - 1] : 0, new Float64Array(wc.length), e);
      const plain = plainCss(wc, ar, ma, start);
      expect(sse).toBe(plain.sse);
      expect([...e]).toEqual([...plain.e]);
    });
  }
});
