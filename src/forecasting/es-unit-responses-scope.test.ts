/**
 * The unit-state responses a grid candidate shares across prefixes (es-estimation.ts) live only as
 * long as one runForecast call (withFitMemo), as the fit memo does: a worker forecasting SKU after
 * SKU must not keep a grid's worth of responses as long as its longest series.
 */
import { describe, expect, it, vi } from 'vitest';

const filterCalls = vi.hoisted(() => ({ n: 0 }));
vi.mock('./es-filter.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./es-filter.js')>();
  return {
    ...orig,
    esFilter: (...args: Parameters<typeof orig.esFilter>) => { filterCalls.n++; return orig.esFilter(...args); },
    esFilterInto: (...args: Parameters<typeof orig.esFilterInto>) => { filterCalls.n++; orig.esFilterInto(...args); },
  };
});

const { estimateEsForecast } = await import('./es-estimation.js');
const { withFitMemo } = await import('./fit-memo.js');
import type { EsForm } from './es-filter.js';

const y = Array.from({ length: 40 }, (_, t) => 50 + 2 * t + 9 * Math.sin(t));
const form: EsForm = { error: 'A', trend: 'Ad', season: 'N', m: 1 };

function passes(alpha: number): number {
  const before = filterCalls.n;
  estimateEsForecast(y, form, { alpha, beta: 0.01, phi: 0.9 }, 4);
  return filterCalls.n - before;
}

describe('unit-state responses: scope', () => {
  it('are reused within one withFitMemo scope and not kept after it', () => {
    const fresh = passes(0.4321);
    expect(passes(0.4321)).toBe(fresh); // outside any scope: nothing retained
    withFitMemo(() => {
      expect(passes(0.4321)).toBe(fresh);
      expect(passes(0.4321)).toBeLessThan(fresh); // the level and trend responses come from the scope
    });
    withFitMemo(() => expect(passes(0.4321)).toBe(fresh)); // a new call starts empty
  });

  it('give the same doubles in and out of a scope', () => {
    const out = estimateEsForecast(y.slice(0, 30), form, { alpha: 0.2, beta: 0.05, phi: 0.8 }, 4);
    withFitMemo(() => {
      estimateEsForecast(y, form, { alpha: 0.2, beta: 0.05, phi: 0.8 }, 4);
      expect(estimateEsForecast(y.slice(0, 30), form, { alpha: 0.2, beta: 0.05, phi: 0.8 }, 4)).toEqual(out);
    });
  });
});
