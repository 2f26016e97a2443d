/**
 * The fit memo of one runForecast call: a memoised fit is the fit a fresh call computes, and no
 * fit is handed back for other values or options, outside its scope, or after it threw.
 */
import { describe, expect, it } from 'vitest';
import { type EtsFitOptions, fitEtsForm } from './ets/ets-estimate.js';
import { memoFit, withFitMemo } from './fit-memo.js';

const seasonal = Array.from({ length: 36 }, (_, t) => 100 + 2 * t + 15 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5));

describe('fit memo', () => {
  it('is inactive outside withFitMemo: every call fits', () => {
    let calls = 0;
    memoFit('k', [1, 2, 3], () => ++calls);
    memoFit('k', [1, 2, 3], () => ++calls);
    expect(calls).toBe(2);
  });

  it('within one scope, the same key and values fit once; other values, keys or a -0 fit again; the scope ends with the call', () => {
    let calls = 0;
    const fit = () => ({ n: ++calls });
    withFitMemo(() => {
      const a = memoFit('k', [1, 2, 3], fit);
      expect(memoFit('k', Float64Array.from([1, 2, 3]), fit)).toBe(a);
      expect(memoFit('k', [1, 5, 3], fit)).not.toBe(a); // same length and last value, other content
      expect(memoFit('j', [1, 2, 3], fit)).not.toBe(a);
      expect(memoFit('k', [-0, 2, 3], fit)).not.toBe(memoFit('k', [0, 2, 3], fit));
      withFitMemo(() => expect(memoFit('k', [1, 2, 3], fit)).toBe(a)); // nested: the outer memo
    });
    expect(calls).toBe(5);
    withFitMemo(() => memoFit('k', [1, 2, 3], fit));
    expect(calls).toBe(6);
  });

  it('a scope that throws leaves the memo inactive', () => {
    expect(() => withFitMemo(() => { throw new Error('boom'); })).toThrow('boom');
    let calls = 0;
    memoFit('k', [1], () => ++calls);
    memoFit('k', [1], () => ++calls);
    expect(calls).toBe(2);
  });

  it('a memoised ETS fit is the fit a fresh call computes', () => {
    const form = { error: 'M', trend: 'Ad', season: 'M' } as const;
    const fresh = fitEtsForm(seasonal, 12, form);
    withFitMemo(() => {
      const first = fitEtsForm(seasonal.slice(), 12, form);
      expect(fitEtsForm(seasonal.slice(), 12, form)).toBe(first);
      expect(first.lik).toBe(fresh.lik);
      expect(Array.from(first.run.fitted)).toEqual(Array.from(fresh.run.fitted));
      // Different options are a different fit.
      expect(fitEtsForm(seasonal, 12, form, { fixed: { alpha: 0.3 } })).not.toBe(first);
    });
  });

  it('every option a fit depends on is part of its key: none returns the fit of other options', () => {
    const form = { error: 'A', trend: 'Ad', season: 'A' } as const;
    const variants: EtsFitOptions[] = [
      { fixed: { alpha: 0.3 } }, { fixed: { beta: 0.01 } }, { fixed: { gamma: 0.05 } }, { fixed: { phi: 0.9 } },
      { optimizeSeasonalStates: true }, { maxIterations: 7 }, { seasonWindow: 3 }, { iterationsPerDimension: 5 }, { tolerance: 1e-2 },
    ];
    withFitMemo(() => {
      const plain = fitEtsForm(seasonal, 12, form);
      expect(fitEtsForm(seasonal, 4, form)).not.toBe(plain); // the period
      expect(fitEtsForm(seasonal, 12, { ...form, trend: 'A' })).not.toBe(plain); // the form
      // String(-0) is "0": a key built by plain interpolation took one for the other.
      expect(fitEtsForm(seasonal, 12, form, { fixed: { beta: -0 } })).not.toBe(fitEtsForm(seasonal, 12, form, { fixed: { beta: 0 } }));
      for (const options of variants) {
        const fit = fitEtsForm(seasonal, 12, form, options);
        expect(fit, JSON.stringify(options)).not.toBe(plain);
        expect(fit.lik, JSON.stringify(options)).toBe(fitEtsForm(seasonal, 12, form, { ...options }).lik);
      }
    });
  });
});
