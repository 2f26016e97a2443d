import type { ForecastResult, IntervalBand, Metric } from './forecast-types.js';
import { mae, mape, rmse, smape, wape } from './metrics.js';
import { inactiveText, noSpread } from './inactive-demand.js';
import { combinationFactors } from './combination-factors.js';

/**
 * The per-SKU choice the app shows, from the results of the SKU's enabled models: the one
 * function the app (src/datasets) and bench:planner both call.
 *
 * The models are ranked by their rolling-origin cross-validation error (forecasts made from data
 * before each origin only, cross-validation.ts; every model of a SKU is scored on the same points).
 * The default rule, `anchor3w` (engine 1.6.0), forecasts the weighted mean of the robust default
 * (the ensemble, where it is enabled; weight ROBUST_WEIGHT) and the three other models with the
 * lowest CV error (sharing the rest equally; the equal-weight mean of the four best when the
 * ensemble is not enabled; all, when fewer are): on short histories the ranking is noisy, so the
 * model that is good on average is kept rather than left to a few origins' errors, pooling the
 * good models beats picking one (Kourentzes et al. 2019), and on long histories, where the
 * ensemble is 1-4 sMAPE points better than every other default model, its weight keeps three of
 * them from diluting it (their equal-weight mean, `anchor3`, lost to the ensemble alone on full
 * M3). Decided on validation origins cut from M3's training data, short (36 months / 12 quarters)
 * and full histories at two origins each (bench/choice-dump.ts, bench/choice-rules.ts: anchor3w
 * 12.30 / 12.66 / 12.46 / 14.75 sMAPE, the ensemble alone 12.46 / 13.09 / 12.59 / 14.93, anchor3
 * 12.57 / 12.68 / 12.79 / 14.95), never on the test periods (docs/forecasting.md).
 * `anchor3inv` weights the same four by the inverse of each one's CV error, the ensemble's counted
 * ROBUST_PRIOR times: it won against `anchor3w` on all six validation sets of issue 10's second
 * comparison (short and full histories, three origins each), by 0.002-0.08 sMAPE, but its one run
 * on the test periods did not carry the gain (bench:m3 12.37 against 12.35, bench:planner 12.65
 * against 12.67; docs/forecasting.md), so the default stays `anchor3w` and the engine 1.6.0.
 * Issue 10's third comparison (the ensemble's weight stepped by frequency and history length, gated
 * on whether the CV errors are within noise, CV errors shrunk to the ensemble's) found nothing that
 * beats `anchor3inv` on validation beyond noise, and nothing was adopted. The fourth, `anchor3wq`
 * (the ensemble 0.8 on quarterly histories of 20 points or more, robustWeight), won the three
 * full-history validation origins narrowly, but was looked for after a test run: a rule for
 * comparisons, not the default.
 * `anchor3` (engines 1.4-1.5), `top3` (before), `best` (the lowest CV error among singles and
 * top-2/3 means), `top2` stay for such comparisons.
 * Results without cross-validation (engines before 1.4, or histories too short to hold out
 * anything) fall back to the lowest holdout error, as before; where that holdout is 1 or 2 points
 * (MAX_UNRANKED_HOLDOUT), to the equal-weight mean of every model that fitted.
 *
 * A combination's bands are the mean of its members' calibrated bounds, then calibrated again on
 * the combination's own cross-validation errors (combinationFactors): the band the planner sees
 * covers what the forecast the planner sees got wrong, not what its members did.
 */

export interface ChoiceCandidate {
  modelId: string;
  result: ForecastResult;
}

export interface ForecastChoice {
  /** The model, or the members joined by '+' for a combination. */
  label: string;
  members: string[];
  /** One sentence for the planner: how this forecast was chosen. */
  how: string;
  /** The error of the choice by the metric (cross-validation mean, or holdout). */
  error: number | null;
  forecast: { dates: string[]; mean: number[]; intervals: IntervalBand[] };
  backtest: { dates: string[]; actual: number[]; forecast: number[] } | null;
  /** Per interval level, the factor a combination's averaged bands were scaled by (combinationFactors); null: not rescaled. */
  intervalScale?: number[] | null;
  /** A combination's cross-validation: its members' aligned origins, their forecasts' (weighted) mean. */
  cv?: { actual: number[][]; forecast: number[][] } | null;
}

export type ChoiceRule = 'best' | 'combos' | 'anchor3inv' | 'anchor3wq' | 'anchor3w' | 'anchor3' | 'top3' | 'top2';

/** The model kept in every default combination: the most accurate on average (docs/forecasting.md). */
export const ROBUST_DEFAULT = 'ensemble';

/**
 * The robust default's share of the `anchor3w` mean; the other members share the rest equally
 * (decided on validation origins cut from M3's training data, short and full histories alike:
 * docs/forecasting.md).
 */
export const ROBUST_WEIGHT = 0.6;

/**
 * Under `anchor3wq` (not the default), the robust default's share on quarterly histories of
 * LONG_QUARTERLY points or more: it beat `anchor3w` at the three full-history validation origins
 * (by 0.010-0.045 sMAPE, one of them within noise) and left the short sets alone, but the step was
 * looked for after the test periods showed the quarterly choice behind the ensemble alone, so it
 * stays a rule for comparisons (docs/forecasting.md, issue 10's fourth comparison).
 */
export const ROBUST_WEIGHT_LONG_QUARTERLY = 0.8;
export const LONG_QUARTERLY = 20;

/** The robust default's share of the `anchor3wq` mean for the history its result was fitted on (a result without `fit` counts as short). */
export function robustWeight(result: Pick<ForecastResult, 'frequency'> & { fit?: Pick<ForecastResult['fit'], 'n'> | null }): number {
  return result.frequency === 'quarterly' && (result.fit?.n ?? 0) >= LONG_QUARTERLY ? ROBUST_WEIGHT_LONG_QUARTERLY : ROBUST_WEIGHT;
}

/** Under `anchor3inv`, how many times the robust default's inverse CV error counts against each other member's (docs/forecasting.md). */
export const ROBUST_PRIOR = 3;

/** Weights proportional to prior / error, summing to 1 (a zero error counts as 1e-9; a non-finite one gets no weight; equal weights where nothing is left). */
export function inverseErrorWeights(errors: number[], priors: number[]): number[] {
  const raw = errors.map((e, k) => (Number.isFinite(e) ? priors[k] / Math.max(e, 1e-9) : 0));
  const z = raw.reduce((a, b) => a + b, 0);
  return z > 0 && Number.isFinite(z) ? raw.map((v) => v / z) : errors.map(() => 1 / errors.length);
}

/** An error by the metric over one origin's points; MASE ranks as MAE (its scale is the same for every candidate). */
function pointError(metric: Metric, actual: number[], forecast: number[]): number | null {
  switch (metric) {
    case 'rmse': return rmse(actual, forecast);
    case 'mape': return mape(actual, forecast);
    case 'smape': return smape(actual, forecast);
    case 'wape': return wape(actual, forecast);
    default: return mae(actual, forecast);
  }
}

/** The mean of the rows, weighted where `weights` (summing to 1, one per row) is given. */
function meanOf(rows: number[][], weights: number[] | null = null): number[] {
  if (!weights) return rows[0].map((_, i) => rows.reduce((a, r) => a + r[i], 0) / rows.length);
  return rows[0].map((_, i) => rows.reduce((a, r, k) => a + weights[k] * r[i], 0));
}

function holdoutError(result: ForecastResult, metric: Metric): number | null {
  const v = (result.holdout?.metrics as unknown as Record<string, number | null> | null)?.[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The combined forecast of some candidates: the (weighted, where `weights` is given) mean of their
 * means, and of their bounds per level (quantile averaging: not a quantile of the combination,
 * hence), rescaled by combinationFactors on the same weighted mean of their cross-validation
 * forecasts where the members have aligned ones (a single model's bands are already calibrated).
 */
function combined(members: ChoiceCandidate[], cvForecast: number[][] | null = null, weights: number[] | null = null): Pick<ForecastChoice, 'forecast' | 'backtest' | 'intervalScale' | 'cv'> {
  const first = members[0].result;
  const mean = meanOf(members.map((m) => m.result.forecast.mean), weights);
  let intervals = first.forecast.intervals.map((band, k) => ({
    level: band.level,
    lower: meanOf(members.map((m) => m.result.forecast.intervals[k]?.lower ?? band.lower), weights).map((v, i) => Math.min(v, mean[i])),
    upper: meanOf(members.map((m) => m.result.forecast.intervals[k]?.upper ?? band.upper), weights).map((v, i) => Math.max(v, mean[i])),
  }));
  // Members clip lower bounds at 0 where the history has no negative value; so does the rescaled band.
  const floor = members.every((m) => m.result.forecast.intervals.every((b) => b.lower.every((v) => v >= 0))) ? 0 : Number.NEGATIVE_INFINITY;
  const factors = members.length > 1 && cvForecast && first.cv ? combinationFactors(first.cv.actual, cvForecast, mean, intervals, floor) : null;
  if (factors) {
    intervals = intervals.map((band, k) => {
      return {
        level: band.level,
        // A lower bound on the floor stays there: the demand it allows below the mean reaches the floor.
        lower: band.lower.map((v, i) => (v <= floor ? v : Math.max(floor, Math.min(mean[i] - factors[k] * (mean[i] - v), mean[i])))),
        upper: band.upper.map((v, i) => Math.max(mean[i] + factors[k] * (v - mean[i]), mean[i])),
      };
    });
    // After rescaling, a wider level still contains every narrower one.
    const byLevel = intervals.map((_, k) => k).sort((a, b) => intervals[a].level - intervals[b].level);
    for (let j = 1; j < byLevel.length; j++) {
      const inner = intervals[byLevel[j - 1]];
      const outer = intervals[byLevel[j]];
      outer.lower = outer.lower.map((v, i) => Math.min(v, inner.lower[i]));
      outer.upper = outer.upper.map((v, i) => Math.max(v, inner.upper[i]));
    }
  }
  const backtest = mixBacktest(members, weights);
  return {
    forecast: { dates: first.forecast.dates, mean, intervals }, backtest, intervalScale: factors ? factors.map((f) => Math.round(f * 1000) / 1000) : null,
    cv: cvForecast && first.cv ? { actual: first.cv.actual, forecast: cvForecast } : null,
  };
}

/**
 * A combination's backtest: its forecast from the latest origin every member was scored from, the
 * last L points with L the shortest member holdout (a model whose season needs more points than the
 * holdout leaves holds out less: the ensemble of 12 quarters 4 of 6), each member's forecast made
 * there from the data before it (its holdout, or its cross-validation forecast from that origin,
 * which every member of a SKU shares). Before, members with holdouts of different lengths gave the
 * combination no backtest at all, and the portfolio's WAPE left the SKU out. null where a member
 * has no holdout (24 months of a seasonal ensemble: nothing before the holdout fits its season).
 */
function mixBacktest(members: ChoiceCandidate[], weights: number[] | null): ForecastChoice['backtest'] {
  const shortest = members.reduce((a, m) => (m.result.holdout.length < a.result.holdout.length ? m : a));
  const h = shortest.result.holdout;
  if (h.length === 0) return null;
  const n = shortest.result.fit?.n;
  const origin = n === undefined ? -1 : n - h.length;
  const forecasts: number[][] = [];
  for (const m of members) {
    const r = m.result;
    if (r.holdout.length === h.length) { forecasts.push(r.holdout.forecast); continue; }
    const k = n !== undefined && r.fit?.n === n && r.cv ? r.cv.origins.indexOf(origin) : -1;
    const f = k >= 0 ? r.cv!.forecast[k] : null;
    if (!f || f.length < h.length) return null;
    forecasts.push(f.slice(0, h.length));
  }
  return { dates: h.dates, actual: h.actual, forecast: meanOf(forecasts, weights) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function single(c: ChoiceCandidate, how: string, error: number | null): ForecastChoice {
  return { label: c.modelId, members: [c.modelId], how, error, ...combined([c]) };
}

/**
 * Without cross-validation, single models are ranked on their holdout only where it is longer than
 * this many points. On one or two points held out (a dataset's SKU of 5 or 6 periods, run with a
 * holdout of length - 4 and too short for a cross-validation origin) the lowest error is one or two
 * numbers: 12, 15, 9, 14, 30 picked the seasonal naive on its last point and forecast the spike,
 * 30, flat. Pooling beats picking even where the pick has several origins (docs/forecasting.md), so
 * there the equal-weight mean of every model that fitted is shown instead (meanWithoutRanking).
 * From 3 points on the ranking stands as before.
 */
export const MAX_UNRANKED_HOLDOUT = 2;

/**
 * No ranking on too few points (MAX_UNRANKED_HOLDOUT): the equal-weight mean of every model that
 * fitted, combined as any choice's members are (its bands the mean of theirs, not recalibrated:
 * there are no cross-validation errors to do it on). Its `error` is null, so the app compares it
 * with no model on the same one or two points (the comparison this replaces). Its backtest is the
 * members' mean over the held-out points where every member held them out, none otherwise
 * (mixBacktest), and the sentence says which held out fewer.
 */
function meanWithoutRanking(candidates: ChoiceCandidate[], held: number): ForecastChoice {
  const out = combined(candidates);
  const fewer = candidates.filter((c) => c.result.holdout.length < held).map((c) => `${c.modelId} (${c.result.holdout.length})`);
  const noBacktest = out.backtest === null && fewer.length > 0 ? `; it has no backtest: ${fewer.join(', ')} held out fewer points` : '';
  return {
    label: candidates.map((c) => c.modelId).join('+'), members: candidates.map((c) => c.modelId), error: null, ...out,
    how: `mean of the ${candidates.length} models that fitted (${candidates.map((c) => c.modelId).join(', ')}): too few points held out (${held}) to rank them${noBacktest}`,
  };
}

/**
 * No aligned cross-validation (holdout 0, a history too short for several origins, results of an
 * older engine, or a model whose cross-validation failed): the lowest
 * error on the longest holdout some candidate scored, compared only among those that held out that
 * many points (a model's minimum length can shorten its holdout); with none scored, the first;
 * with that holdout MAX_UNRANKED_HOLDOUT points or shorter, the mean of all (meanWithoutRanking).
 */
function withoutCrossValidation(candidates: ChoiceCandidate[], metric: Metric): ForecastChoice {
  const held = Math.max(...candidates.map((c) => (holdoutError(c.result, metric) === null ? 0 : c.result.holdout.length)));
  if (held === 0) {
    const why = candidates.every((c) => c.result.holdout.length === 0) ? 'no points were held out' : 'no holdout error could be computed';
    return single(candidates[0], `the first enabled model: none was scored (${why}, so no cross-validation)`, null);
  }
  if (held <= MAX_UNRANKED_HOLDOUT && candidates.length > 1) return meanWithoutRanking(candidates, held);
  let best: ChoiceCandidate | null = null;
  let bestError = Infinity;
  let scored = 0;
  for (const c of candidates) {
    const e = holdoutError(c.result, metric);
    if (e === null || c.result.holdout.length !== held) continue;
    scored++;
    if (best === null || e < bestError) { best = c; bestError = e; }
  }
  const among = scored === 1 ? 'the only model' : `lowest error among the ${scored} models`;
  return single(best!, `${among} scored on ${held === 1 ? 'the last point' : `the last ${held} points`} held out (the error it was chosen on; no cross-validation to compare them by)`, bestError);
}

/**
 * Candidates in the order the models are enabled (ties go to the earlier). A SKU whose history
 * reads as a stop (every member's result is `inactive`: inactive-demand.ts) is forecast 0 by each
 * model (with no spread where the stop is certain enough); the chosen members are kept (the model table and the backtest stay theirs),
 * and the sentence says why the forecast is 0 rather than how bands were calibrated.
 */
export function chooseForecast(candidates: ChoiceCandidate[], metric: Metric, rule: ChoiceRule = 'anchor3w'): ForecastChoice | null {
  const choice = chooseAmong(candidates, metric, rule);
  if (!choice) return null;
  const members = candidates.filter((c) => choice.members.includes(c.modelId));
  const stop = members[0]?.result.inactive;
  if (!stop || !members.every((m) => m.result.inactive)) return choice;
  const many = members.length > 1 ? `every model of the mean (${members.map((m) => m.modelId).join(', ')})` : members[0].modelId;
  return { ...choice, how: `${inactiveText(stop, members[0].result.frequency)}, as ${many} forecasts it`, intervalScale: noSpread(stop) ? null : choice.intervalScale };
}

function chooseAmong(candidates: ChoiceCandidate[], metric: Metric, rule: ChoiceRule): ForecastChoice | null {
  if (candidates.length === 0) return null;
  const horizon = candidates[0].result.forecast.mean.length;
  const usable = candidates.filter((c) => c.result.forecast.mean.length === horizon && c.result.forecast.intervals.length === candidates[0].result.forecast.intervals.length);
  const withCv = usable.filter((c) => c.result.cv && c.result.cv.forecast.length > 0 && c.result.cv.forecast.every((f) => f !== null));
  const origins = withCv[0]?.result.cv?.origins;
  const aligned = origins ? withCv.filter((c) => JSON.stringify(c.result.cv!.origins) === JSON.stringify(origins)) : [];
  if (aligned.length === 0) return withoutCrossValidation(usable.length ? usable : candidates, metric);
  const actual = aligned[0].result.cv!.actual;
  const score = (members: ChoiceCandidate[], weights: number[] | null = null): number => {
    let s = 0;
    for (let k = 0; k < actual.length; k++) {
      const f = meanOf(members.map((m) => m.result.cv!.forecast[k]!), weights);
      const e = pointError(metric, actual[k], f) ?? mae(actual[k], f);
      s += e;
    }
    return s / actual.length;
  };
  const ranked = aligned.map((c) => ({ members: [c], error: score([c]) }))
    .sort((a, b) => a.error - b.error);
  const top = ranked.map((r) => r.members[0]);
  const options: { members: ChoiceCandidate[]; error: number; weights?: number[] | null }[] = [];
  if (rule === 'best') options.push(...ranked);
  const anchorRule = rule === 'anchor3' || rule === 'anchor3w' || rule === 'anchor3wq' || rule === 'anchor3inv';
  let anchorWeight = ROBUST_WEIGHT;
  if (anchorRule) {
    const anchor = top.find((c) => c.modelId === ROBUST_DEFAULT);
    const members = anchor ? [anchor, ...top.filter((c) => c !== anchor).slice(0, 3)] : top.slice(0, 4);
    let weights: number[] | null = null;
    // anchor3w: the robust default keeps ROBUST_WEIGHT (anchor3wq: robustWeight), the others share the rest.
    if ((rule === 'anchor3w' || rule === 'anchor3wq') && anchor && members.length > 1) {
      anchorWeight = rule === 'anchor3wq' ? robustWeight(anchor.result) : ROBUST_WEIGHT;
      weights = members.map((m) => (m === anchor ? anchorWeight : (1 - anchorWeight) / (members.length - 1)));
    }
    // anchor3inv: each member by the inverse of its own CV error, the robust default's counted ROBUST_PRIOR times.
    if (rule === 'anchor3inv' && anchor && members.length > 1) {
      const errorOf = new Map(ranked.map((r) => [r.members[0], r.error]));
      weights = inverseErrorWeights(members.map((m) => errorOf.get(m)!), members.map((m) => (m === anchor ? ROBUST_PRIOR : 1)));
    }
    options.push({ members, error: score(members, weights), weights });
  }
  for (const k of [2, 3]) {
    if (anchorRule) continue;
    if (rule === 'top2' && k !== 2) continue;
    if (rule === 'top3' && k !== Math.min(3, top.length)) continue;
    if (top.length < k) continue;
    const members = top.slice(0, k);
    options.push({ members, error: score(members) });
  }
  if (options.length === 0) options.push(ranked[0]);
  let best = options[0];
  for (const o of options) if (o.error < best.error) best = o;
  // Members in the order the models are enabled, so one combination always has one label (the weights follow them).
  const order = best.members.map((m, k) => k).sort((a, b) => candidates.indexOf(best.members[a]) - candidates.indexOf(best.members[b]));
  const weights = best.weights ? order.map((k) => best.weights![k]) : null;
  best = { ...best, members: order.map((k) => best.members[k]), weights };
  const n = origins!.length;
  const label = best.members.map((m) => m.modelId).join('+');
  const cvText = `rolling-origin cross-validation (${plural(n, 'origin')}, each tuned on the data before it)`;
  const anchored = anchorRule && best.members.some((m) => m.modelId === ROBUST_DEFAULT) && best.members.length > 1;
  const cvForecast = actual.map((_, k) => meanOf(best.members.map((m) => m.result.cv!.forecast[k]!), weights));
  const out = combined(best.members, cvForecast, weights);
  const list = best.members.map((m) => m.modelId).join(', ');
  const others = best.members.length - 1;
  // The sentence a planner reads under the chart: no ranking claimed where every model is in the
  // mean, and the robust default said to be kept whatever its error.
  // A weighted mean names the weights: the robust default's, and the share of each other member
  // (anchor3w), or every member's share and where it came from (anchor3inv).
  const pct = (w: number) => `${Math.round(w * 1000) / 10}%`;
  const mean = weights ? 'weighted mean' : 'mean';
  const inverse = rule === 'anchor3inv' && weights && anchored;
  const share = pct((1 - anchorWeight) / others) + (others === 1 ? '' : ' each');
  const weighted = weights && anchored && !inverse ? { anchor: `, weight ${pct(anchorWeight)}`, each: ` (${share})` } : { anchor: '', each: '' };
  const shares = inverse
    ? `, weighted by the inverse of that error (${ROBUST_DEFAULT}'s counted ${ROBUST_PRIOR} times): ${best.members.map((m, k) => `${m.modelId} ${pct(weights![k])}`).join(', ')}`
    : '';
  let how: string;
  if (best.members.length === 1) {
    how = aligned.length === 1 ? `the only model with ${cvText}` : `lowest error in ${cvText} among ${aligned.length} models`;
  } else if (best.members.length === aligned.length) {
    const fixed = weights && anchored && !inverse ? `: ${ROBUST_DEFAULT} ${pct(anchorWeight)}, ${others === 1 ? 'the other' : 'the others'} ${share}` : '';
    how = `${mean} of all ${best.members.length} models (${list}${fixed}), each scored by ${cvText}${shares}`;
  } else if (anchored) {
    how = `${mean} of ${ROBUST_DEFAULT} (kept for every SKU${weighted.anchor}) and the ${others === 1 ? 'other model' : `${others} other models`}${weighted.each} with the lowest error in ${cvText}${inverse ? shares : `: ${list}`}`;
  } else {
    how = `mean of the ${best.members.length} models with the lowest error in ${cvText}: ${list}`;
  }
  const scale = out.intervalScale ?? [];
  if (scale.some((f) => f !== 1)) {
    const verb = scale.every((f) => f >= 1) ? 'widened' : scale.every((f) => f <= 1) ? 'narrowed' : 'rescaled';
    how += `; its intervals ${verb} to cover this mean's own cross-validation errors`;
  }
  return { label, members: best.members.map((m) => m.modelId), how, error: best.error, ...out };
}
