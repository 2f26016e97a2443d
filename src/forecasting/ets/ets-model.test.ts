import { describe, expect, it } from 'vitest';
import { gridSearch } from '../parameter-search.js';
import { runForecast } from '../run-forecast.js';
import { autoEts, formsFor } from './ets-auto.js';
import { ETS_FORMS, etsModel } from './ets-model.js';
import { formName } from './ets-form.js';

// The last 12 quarters of two M3 training series (seasonal strength of the detrended series above 0.97):
// N0870 has a level and a deep third-quarter trough, N1218 a trend and a third-quarter peak.
const N0870 = [11037, 4295, 2475, 7021, 11216, 4514, 2646, 7807, 10565, 4574, 2607, 7268];
const N1218 = [4888.9, 5740.44, 6732.14, 5777.76, 5372.26, 6331.82, 7297.52, 6168.74, 5851.86, 6885.88, 7835.2, 6755.36];

function quarterly(values: number[]) {
  return runForecast({
    sku: 'Q', values, frequency: 'quarterly', modelId: 'ets', method: 'grid',
    settings: { horizon: 8, holdout: 6, metric: 'mae', intervalLevels: [80, 95] },
  });
}

describe('ets form selection on short seasonal histories', () => {
  it.each([['N0870', N0870], ['N1218', N1218]])('%s: 12 quarters get a seasonal form, chosen by AICc on the whole window', (_id, values) => {
    const r = quarterly(values);
    const form = String(r.parameters.form);
    expect(form).toMatch(/^[AM](N|A|Ad)[AM]$/);
    expect(r.parameters.seasonalPeriod).toBe(4);
    // The grid's holdout windows (6 points) could not carry a season: the form is R's ets() choice by AICc.
    expect(form).toBe(autoEts(values, 4, { pruneSeasonal: false }).best.name);
    expect(r.search.candidatesEvaluated).toBeGreaterThan(1);
    // The forecast repeats the season: the third quarter stays the extreme of each year ahead.
    const mean = r.forecast.mean;
    const q3 = [mean[2], mean[6]];
    const others = [mean[0], mean[1], mean[3], mean[4], mean[5], mean[7]];
    if (_id === 'N0870') expect(Math.max(...q3)).toBeLessThan(Math.min(...others));
    else expect(Math.min(...q3)).toBeGreaterThan(Math.max(...others));
  });

  it('keeps the holdout comparison where its windows carry every form, AICc where they cannot', () => {
    // 40 quarters: the earliest grid window (28 points) fits every seasonal form the whole history can.
    const values = Array.from({ length: 40 }, (_, t) => 100 + t + 20 * Math.sin((2 * Math.PI * t) / 4) + ((t * 7) % 5));
    const candidates = etsModel.gridCandidates!({ y: values, period: 4, frequency: 'quarterly' }, 28);
    expect(candidates.length).toBeGreaterThan(1);
    expect(candidates.some((c) => /[AM]$/.test(ETS_FORMS[c.form].season))).toBe(true);
    // 12 quarters whose windows hold 6 points: no candidates, the model estimates (AICc).
    expect(etsModel.gridCandidates!({ y: values.slice(0, 12), period: 4, frequency: 'quarterly' }, 6)).toEqual([]);
  });

  // The boundary: the earliest window carries some seasonal forms but not all the whole history can.
  const season = (n: number) => Array.from({ length: n }, (_, t) => 200 + 2 * t + 30 * Math.sin((2 * Math.PI * t) / 4) + ((t * 7) % 5));
  const names = (y: number[]) => formsFor(y, 4, { pruneSeasonal: false }).map(formName);
  const search = (y: number[]) => gridSearch(etsModel, { y, ctx: { period: 4, frequency: 'quarterly' }, holdout: 6, metric: 'mae', adjust: (xs) => xs });

  it('24 quarters: the earliest window (12) carries ANA but not AAA or AAdA, so AICc decides', () => {
    expect(names(season(12))).toContain('ANA');
    expect(names(season(12))).not.toContain('AAA');
    expect(names(season(24))).toEqual(expect.arrayContaining(['AAA', 'AAdA', 'MAdM']));
    const r = search(season(24));
    expect(r.params).toBeNull();
    expect(r.candidatesEvaluated).toBe(0);
  });

  it('28 quarters: the earliest window (16) carries every form, so the holdout decides among all of them', () => {
    const y = season(28);
    const r = search(y);
    expect(r.candidatesEvaluated).toBe(names(y).length);
    expect(r.params).not.toBeNull();
  });

  it('the rule covers trend forms too: 13 years (earliest window 4) leave the trend forms to AICc', () => {
    const y = Array.from({ length: 13 }, (_, t) => 100 + 8 * t + ((t * 5) % 7));
    expect(names(y.slice(0, 4))).toEqual(['ANN']);
    const r = runForecast({ sku: 'Y', values: y, frequency: 'yearly', modelId: 'ets', method: 'grid', settings: { horizon: 4, holdout: 6, metric: 'mae', intervalLevels: [] } });
    expect(r.parameters.form).toBe(autoEts(y, null).best.name);
    expect(String(r.parameters.form)).toMatch(/^[AM]A/);
  });
});
