/**
 * bench:m3's forecasts on a few full M3 series (two of each category): the choice mode runs the
 * app's per-SKU choice over every default model of the frequency on the whole training history,
 * "other" as the app's season-less yearly, without ever touching the test values; the model mode
 * is the model alone. No figure is asserted here (bench:m3 prints them), and no timing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultDatasetSettings } from '../../src/datasets/dataset-settings.js';
import { forecastM3, m3Frequency, type M3Training } from '../../bench/m3-forecast.js';
import { datesFor, type M3Series } from '../../bench/planner-sku.js';
import { score } from '../../bench/planner-score.js';

const all = readFileSync(new URL('../../data/m3/m3.jsonl', import.meta.url), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as M3Series);
const sample = ['YEARLY', 'QUARTERLY', 'MONTHLY', 'OTHER'].flatMap((p) => all.filter((s) => s.period === p).slice(0, 2));

/** The series without readable test values: reading them throws. */
function sealed(s: M3Series): M3Training {
  const { test: _test, ...training } = s;
  return Object.defineProperty({ ...training }, 'test', { get() { throw new Error(`${s.id}: test values read before scoring`); } });
}

describe('bench:m3 forecasts (bench/m3-forecast.ts)', () => {
  it('maps M3 frequency 1 ("other" as well as yearly) to the app\'s yearly, 4 and 12 to quarterly and monthly', () => {
    expect([1, 4, 12].map(m3Frequency)).toEqual(['yearly', 'quarterly', 'monthly']);
  });

  it('uploads yearly histories with a date a year apart (as a planner\'s yearly CSV), quarterly three months apart', () => {
    expect(datesFor(3, 'yearly')).toEqual(['2020-01-01', '2021-01-01', '2022-01-01']);
    expect(datesFor(2, 'quarterly')).toEqual(['2020-01-01', '2020-04-01']);
  });

  it.each(sample.map((s) => [s.period, s.id, s] as const))('choice mode on %s %s: the app\'s choice and every default model, from the training part alone', (_p, _id, s) => {
    const out = forecastM3(sealed(s), 'choice');
    const defaults = defaultDatasetSettings(out.frequency).models;
    expect(Object.keys(out.forecasts).sort()).toEqual(['choice', ...defaults.filter((m) => !(m in out.failures))].sort());
    expect(out.chosen).toBeTruthy();
    for (const [key, f] of Object.entries(out.forecasts)) {
      expect(f.mean, key).toHaveLength(s.horizon);
      expect(f.mean.every(Number.isFinite), key).toBe(true);
      const sc = score(f, s.test, s.train, s.frequency);
      expect(Number.isFinite(sc.smape), key).toBe(true);
    }
    const c = out.forecasts.choice;
    expect(c.lower95 && c.upper95 && c.lower95.every((lo, i) => lo <= c.mean[i] && c.mean[i] <= c.upper95![i])).toBe(true);
  });

  it('model mode is the model alone on the whole history: the ensemble\'s point forecast is the one the app path fits', () => {
    for (const s of sample.slice(0, 4)) {
      const alone = forecastM3(sealed(s), 'model', 'ensemble', 'mle');
      const app = forecastM3(sealed(s), 'choice');
      expect(Object.keys(alone.forecasts)).toEqual(['model']);
      alone.forecasts.model.mean.forEach((v, i) => expect(v).toBeCloseTo(app.forecasts.ensemble.mean[i], 6));
    }
  });
});
