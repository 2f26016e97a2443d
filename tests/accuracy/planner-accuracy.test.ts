/**
 * The accuracy gate: the forecast the app shows per SKU, on a fixed sample of short M3 histories
 * (every 11th of the 2,184 monthly and quarterly series, cut to the last 36 months / 12 quarters,
 * through the same path as bench:planner), must stay under a ceiling set from the measured
 * figure plus a small margin. A change that makes the planner's forecast worse fails npm test.
 * Deterministic (the engine is); a few seconds of CPU. No timing is asserted.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { smape } from '../../src/forecasting/metrics.js';
import { forecastSku, plannerHistory, type M3Series } from '../../bench/planner-sku.js';

// Engine 1.4.0, 2026-12-03 (docs/forecasting.md): the ceiling is the measured figure plus 0.25 sMAPE points.
// Lowered from 13.33 (measured 13.083 with the mean of the three best) when the choice became the
// ensemble plus the three best others (anchor3), decided on bench:planner --validate.
const CHOICE_SMAPE_CEILING = 13.10; // measured 12.853 on this sample
// Engine 1.4.1 (ETS forms by AICc where the grid's windows cannot carry a season) measures 12.932
// here while the full bench improves (12.65 -> 12.63): the ceiling stays, it was not raised.
// Engine 1.6.0 (anchor3w: the ensemble weighted 0.6) measures 12.908, coverage 78.7 / 95.4.
// Engine 1.7.0 (fits that only score at a looser tolerance: scoring-tolerance.ts) measures 12.937, coverage 78.4 / 95.2.
// The share of test values inside the choice's 80% / 95% intervals, measured 77.8 / 94.0 on this
// sample (2,892 points): a calibration that stops covering, or bands that balloon, fail.
const COVERAGE_RANGE: Record<80 | 95, [number, number]> = { 80: [75.5, 84.5], 95: [92, 98.5] };

const all = readFileSync(new URL('../../data/m3/m3.jsonl', import.meta.url), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as M3Series)
  .filter((s) => s.frequency === 12 || s.frequency === 4);
const sample = all.filter((_, i) => i % 11 === 0);

describe('accuracy gate: the app\'s per-SKU choice on short M3 histories', () => {
  it(`sMAPE of the choice on ${sample.length} series stays under ${CHOICE_SMAPE_CEILING}, its intervals' coverage near nominal`, () => {
    const sums: Record<string, number> = {};
    let points = 0, in80 = 0, in95 = 0;
    for (const s of sample) {
      const { frequency, train } = plannerHistory(s);
      const out = forecastSku(s.id, train, frequency, s.horizon, undefined);
      expect(out.choice, s.id).not.toBeNull();
      sums.choice = (sums.choice ?? 0) + smape(s.test, out.choice!.mean);
      const c = out.choice!;
      s.test.forEach((v, i) => {
        points++;
        if (c.lower80 && c.upper80 && v >= c.lower80[i] && v <= c.upper80[i]) in80++;
        if (c.lower95 && c.upper95 && v >= c.lower95[i] && v <= c.upper95[i]) in95++;
      });
      for (const [m, f] of Object.entries(out.models)) sums[m] = (sums[m] ?? 0) + smape(s.test, f.mean);
    }
    const mean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / sample.length]));
    console.log(`accuracy gate (${sample.length} short M3 series), sMAPE: ${Object.entries(mean).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
    console.log(`coverage of the choice's intervals: 80% ${(100 * in80 / points).toFixed(1)}, 95% ${(100 * in95 / points).toFixed(1)} (${points} points)`);
    expect(mean.choice).toBeLessThanOrEqual(CHOICE_SMAPE_CEILING);
    const cover = { 80: (100 * in80) / points, 95: (100 * in95) / points };
    for (const level of [80, 95] as const) {
      expect(cover[level], `${level}% coverage`).toBeGreaterThanOrEqual(COVERAGE_RANGE[level][0]);
      expect(cover[level], `${level}% coverage`).toBeLessThanOrEqual(COVERAGE_RANGE[level][1]);
    }
  });
});
