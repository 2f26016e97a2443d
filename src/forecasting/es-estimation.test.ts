import { describe, expect, it } from 'vitest';
import { estimateEs, estimateEsForecast } from './es-estimation.js';
import { esFittedModel } from './es-fitted-model.js';
import type { EsForm } from './es-filter.js';
import { withFitMemo } from './fit-memo.js';

const y = Array.from({ length: 48 }, (_, t) => 200 + 3 * t + 25 * Math.sin(t * 0.9) + 10 * Math.cos(t * 2.3));
const bits = (xs: number[]) => xs.map((v) => (Object.is(v, -0) ? '-0' : String(v)));

const forms: [EsForm, { alpha: number; beta?: number; phi?: number }][] = [
  [{ error: 'A', trend: 'N', season: 'N', m: 1 }, { alpha: 0.3 }],
  [{ error: 'A', trend: 'A', season: 'N', m: 1 }, { alpha: 0.5, beta: 0.1 }],
  [{ error: 'A', trend: 'Ad', season: 'N', m: 1 }, { alpha: 0.7, beta: 0.05, phi: 0.9 }],
];

describe('grid candidate forecasts (unit-state responses shared across prefixes)', () => {
  it.each(forms)('%o: a prefix gives the same doubles whether a shorter or a longer prefix was fitted first', (form, fixed) => withFitMemo(() => {
    // Fresh parameter values per form, so the first call below is the first for these parameters.
    const p = { ...fixed, alpha: fixed.alpha + 1e-9 };
    const first20 = estimateEsForecast(y.slice(0, 20), form, p, 6);
    const first48 = estimateEsForecast(y, form, p, 6);
    const again20 = estimateEsForecast(y.slice(0, 20), form, p, 6); // served by the 48-long responses
    const again33 = estimateEsForecast(y.slice(0, 33), form, p, 6);
    expect(bits(again20)).toEqual(bits(first20));
    // The fitted model (its own final filter) agrees with the shortcut, and other parameters are not served the cached responses.
    expect(bits(esFittedModel(estimateEs(y, form, p), {}).forecast(6, []).mean)).toEqual(bits(first48));
    expect(bits(esFittedModel(estimateEs(y.slice(0, 33), form, p), {}).forecast(6, []).mean)).toEqual(bits(again33));
    const other = estimateEsForecast(y.slice(0, 20), form, { ...p, alpha: p.alpha + 0.1 }, 6);
    expect(other).not.toEqual(first20);
  }));

  it('the least-squares states fit the data: a noiseless damped trend is forecast exactly from any prefix', () => {
    const phi = 0.9;
    // y_t = l_{t-1} + phi b_{t-1} with alpha = beta = 1e-4 close to a deterministic damped trend.
    const l0 = 100, b0 = 5;
    const series: number[] = [];
    let l = l0, b = b0;
    for (let t = 0; t < 40; t++) { const f = l + phi * b; series.push(f); l = f; b = phi * b; }
    const form: EsForm = { error: 'A', trend: 'Ad', season: 'N', m: 1 };
    for (const n of [40, 25, 12]) {
      const fc = estimateEsForecast(series.slice(0, n), form, { alpha: 1e-4, beta: 1e-4, phi }, 3);
      let lt = l0, bt = b0;
      for (let t = 0; t < n; t++) { lt += phi * bt; bt *= phi; }
      const want = [1, 2, 3].map((h) => lt + bt * Array.from({ length: h }, (_, i) => phi ** (i + 1)).reduce((a, c) => a + c, 0));
      fc.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    }
  });
});
