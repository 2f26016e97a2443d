import { describe, expect, it } from 'vitest';
import { cvAdvantage, ensembleWeightLs, forecastOf, pairedAgainst, parseSeries, rules, scoreRules, type DumpLine } from '../../bench/choice-rule-set.js';
import { chooseForecast } from '../../src/forecasting/choose-forecast.js';
import type { ForecastResult } from '../../src/forecasting/forecast-types.js';

// A dump line as bench/choice-dump.ts writes it: every model's forecast of the validation target
// and its forecasts at the CV origins (actual 10 everywhere; a model with CV error e forecasts 10 + e
// at the first origin and 10 - e at the second, so its mean CV MAE is e).
function result(level: number, cvError: number, origins = [14, 17]): ForecastResult {
  return {
    sku: 'A', model: 'm', method: 'grid', engineVersion: 'x', frequency: 'monthly', seasonalPeriod: null, parameters: {},
    search: { candidatesEvaluated: 1, milliseconds: 0 },
    holdout: { length: 0, dates: [], actual: [], forecast: [], metrics: null },
    fit: { aicc: null, sigma: 1, n: 20 },
    forecast: { dates: ['f1', 'f2'], mean: [level, level], intervals: [{ level: 80, lower: [level - 1, level - 1], upper: [level + 1, level + 1] }] },
    warnings: [],
    cv: { origins, actual: [[10, 10, 10], [10, 10, 10]], forecast: [[10 + cvError, 10 + cvError, 10 + cvError], [10 - cvError, 10 - cvError, 10 - cvError]], bands: [null, null], tuning: 'grid', metrics: null },
  };
}

const line = (models: [string, number, number][], extra: Partial<DumpLine> = {}): DumpLine => ({
  period: 'MONTHLY', frequency: 12, train: Array.from({ length: 36 }, (_, i) => 10 + i), target: [20, 20],
  results: models.map(([modelId, level, e]) => ({ modelId, result: result(level, e) })), ...extra,
});

const five: [string, number, number][] = [['ensemble', 30, 9], ['ets', 20, 5], ['damped_trend', 12, 1], ['seasonal_naive', 14, 2], ['croston', 16, 3]];

describe('choice-rule-set (bench/choice-rules.ts)', () => {
  it('reads a dump line as chooseForecast sees it: mean CV MAE per model, only models with the first model\'s CV origins, history length in years', () => {
    const d = line(five);
    d.results.push({ modelId: 'late', result: result(99, 0, [15, 18]) });
    const s = parseSeries(d);
    expect(s.m.map((x) => [x.id, x.e])).toEqual([['ensemble', 9], ['ets', 5], ['damped_trend', 1], ['seasonal_naive', 2], ['croston', 3]]);
    expect(s.all.late).toEqual([99, 99]); // still scored as a single model
    expect(s.years).toBe(3);
    expect(s.cat).toBe('monthly');
    expect(parseSeries(line(five, { period: 'OTHER', frequency: 1 })).cat).toBe('other');
  });

  it('keeps models fitted beside the defaults (choice-dump --extra) out of the defaults\' rules: the pool rules and swaps read them', () => {
    const d = line(five);
    d.extras = [{ modelId: 'theta', result: result(40, 0.5) }, { modelId: 'late', result: result(99, 0, [15, 18]) }, { modelId: 'damped_trend@mle', result: result(50, 0.2) }];
    const s = parseSeries(d);
    expect(s.m.map((x) => x.id)).toEqual(['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston']);
    expect(Object.keys(s.x)).toEqual(['theta', 'damped_trend@mle']); // other CV origins: not comparable
    expect(forecastOf(s, rules['ensW0.6+3'])![0]).toBeCloseTo(0.6 * 30 + 0.4 * 14, 10);
    // theta's CV error (0.5) is the lowest: it takes croston's place among the three others.
    expect(forecastOf(s, rules['ensW0.6+3|pool+theta'])![0]).toBeCloseTo(0.6 * 30 + (0.4 * (40 + 12 + 14)) / 3, 10);
    expect(forecastOf(s, rules['ensW0.6+3|damped_trend@mle'])![0]).toBeCloseTo(0.6 * 30 + (0.4 * (50 + 14 + 16)) / 3, 10);
    expect(forecastOf(s, rules['ensW0.6+theta+2'])![0]).toBeCloseTo(0.6 * 30 + (0.4 * (40 + 12 + 14)) / 3, 10);
    // Without the extra the rules fall back to ensW0.6+3.
    expect(forecastOf(parseSeries(line(five)), rules['ensW0.6+3|pool+theta'])).toEqual(forecastOf(parseSeries(line(five)), rules['ensW0.6+3']));
  });

  it('anchor3 keeps the ensemble whatever its CV error, with the three lowest others; ensW0.6+3 weights it 0.6', () => {
    const s = parseSeries(line(five));
    expect(forecastOf(s, rules.anchor3)).toEqual([(30 + 12 + 14 + 16) / 4, (30 + 12 + 14 + 16) / 4]);
    expect(forecastOf(s, rules['ensW0.6+3'])![0]).toBeCloseTo(0.6 * 30 + 0.4 * 14, 10);
  });

  it('inv-anchor3-ensx3 forecasts exactly what chooseForecast\'s rule anchor3inv forecasts, ensW0.6+3 what its default anchor3w does', () => {
    for (const models of [five, [['ensemble', 30, 1], ['ets', 20, 5], ['damped_trend', 12, 2], ['seasonal_naive', 14, 3], ['croston', 16, 4]] as [string, number, number][]]) {
      const d = line(models);
      const offline = forecastOf(parseSeries(d), rules['inv-anchor3-ensx3'])!;
      const app = chooseForecast(d.results, 'mae', 'anchor3inv')!;
      expect(app.members).toEqual(['ensemble', 'damped_trend', 'seasonal_naive', 'croston']);
      offline.forEach((v, i) => expect(app.forecast.mean[i]).toBeCloseTo(v, 10));
      const fixed = forecastOf(parseSeries(d), rules['ensW0.6+3'])!;
      const byDefault = chooseForecast(d.results, 'mae')!;
      fixed.forEach((v, i) => expect(byDefault.forecast.mean[i]).toBeCloseTo(v, 10));
    }
  });

  it('scores each rule by sMAPE on the validation target, overall and by category', () => {
    const monthly = parseSeries(line(five));
    const other = parseSeries(line(five, { period: 'OTHER', frequency: 1, target: [30, 30] }));
    const [score] = scoreRules([[monthly, other]], { 'single:ensemble': rules['single:ensemble'] });
    // The ensemble forecasts 30: sMAPE 200 * 10 / 50 = 40 on the monthly target 20, 0 on the other.
    expect(score.bySet[0].monthly).toBeCloseTo(40, 10);
    expect(score.bySet[0].other).toBe(0);
    expect(score.bySet[0].all).toBeCloseTo(20, 10);
  });

  it('ensembleWeightLs: the least-squares weight shrunk towards 0.6 by the prior, more so with fewer CV points', () => {
    const actual = [[10, 10], [10, 10]];
    const ens = [[10, 10], [10, 10]]; // the ensemble was exact, the others 2 off: w = 1 by least squares
    const others = [[12, 12], [8, 8]];
    expect(ensembleWeightLs(actual, ens, others, 0)).toBe(1);
    expect(ensembleWeightLs(actual, ens, others, 4)).toBeCloseTo((4 * 1 + 4 * 0.6) / 8, 12);
    expect(ensembleWeightLs([[10]], [[10]], [[12]], 4)).toBeCloseTo((1 + 4 * 0.6) / 5, 12);
    // No difference between the two to fit on: the prior alone.
    expect(ensembleWeightLs(actual, others, others, 4)).toBeCloseTo(0.6, 12);
  });

  it('cvAdvantage: the ensemble\'s CV absolute error minus the others\', over its standard error; negative where the ensemble did better', () => {
    const actual = [[10, 10], [10, 10]];
    const ens = [[10, 10], [10, 10]];
    const others = [[11, 13], [8, 12]]; // differences -1, -3, -2, -2: mean -2, sd sqrt(2/3)
    expect(cvAdvantage(actual, ens, others)).toBeCloseTo(-2 / (Math.sqrt(2 / 3) / 2), 10);
    expect(cvAdvantage(actual, others, ens)).toBeCloseTo(2 / (Math.sqrt(2 / 3) / 2), 10);
    // Nothing to tell apart: 0, not NaN.
    expect(cvAdvantage(actual, others, others)).toBe(0);
    expect(cvAdvantage([[10]], [[10]], [[12]])).toBe(0);
  });

  it('the frequency step weights the ensemble 0.8 only on non-monthly histories of 5 years or more', () => {
    const yearly = parseSeries(line(five, { period: 'YEARLY', frequency: 1, train: Array.from({ length: 20 }, (_, i) => 10 + i) }));
    const quarterly3y = parseSeries(line(five, { period: 'QUARTERLY', frequency: 4, train: Array.from({ length: 12 }, (_, i) => 10 + i) }));
    const monthly = parseSeries(line(five, { train: Array.from({ length: 120 }, (_, i) => 10 + i) }));
    const rule = rules['ensW0.6|0.8@f<12&y>=5'];
    expect(forecastOf(yearly, rule)![0]).toBeCloseTo(0.8 * 30 + 0.2 * 14, 10);
    expect(forecastOf(quarterly3y, rule)![0]).toBeCloseTo(0.6 * 30 + 0.4 * 14, 10);
    expect(forecastOf(monthly, rule)![0]).toBeCloseTo(0.6 * 30 + 0.4 * 14, 10);
  });

  it('pairedAgainst: series by series, a rule\'s sMAPE minus the base\'s, with wins and losses', () => {
    // Target 20: the ensemble forecasts 30 (sMAPE 40), anchor3's mean 18 (200 * 2 / 38).
    const s = [parseSeries(line(five)), parseSeries(line(five, { target: [30, 30] }))];
    const p = pairedAgainst(s, rules['single:ensemble'], rules.anchor3);
    const d = [40 - 400 / 38, 0 - 200 * 12 / 48];
    expect(p.mean).toBeCloseTo((d[0] + d[1]) / 2, 10);
    expect([p.wins, p.losses]).toEqual([1, 1]);
    expect(pairedAgainst(s, rules.anchor3, rules.anchor3)).toEqual({ mean: 0, t: 0, wins: 0, losses: 0 });
  });
});
