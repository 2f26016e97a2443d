import type { SkuForecast } from '../api/types.js';

/**
 * A few words for how the shown forecast was made, read from the API's `selection.how` (the full
 * sentence stays under the SKU's title). The default is a fixed weighted mean, the ensemble at 60%
 * whatever its error and the 3 other models with the lowest cross-validation error sharing the rest
 * (choose-forecast.ts, docs/forecasting.md), so the label says exactly that: "chosen by
 * cross-validation" beside a cross-validation error higher than a single model's below it read as
 * the cross-validation having picked it, and planners "Use"d the lower one. Never "best" either.
 */
export function choiceLabel(item: Pick<SkuForecast, 'selectedBy' | 'selection'>): string {
  if (item.selectedBy === 'override') return 'chosen by you';
  const how = item.selection?.how ?? '';
  if (/none was scored/.test(how)) return 'first enabled model, unscored';
  // "mean of the 4 models that fitted (...): too few points held out (1) to rank them" (a 5-6 period SKU)
  const unranked = /^mean of the (\d+) models that fitted/.exec(how);
  if (unranked) return `equal mean of all ${unranked[1]} models, too few points to rank them`;
  if (/no cross-validation/.test(how)) return 'lowest holdout error';
  // "weighted mean of ensemble (kept for every SKU, weight 60%) and the 3 other models (13.3% each) with the lowest error in ..."
  const kept = /^weighted mean of (\S+) \(kept for every SKU, weight ([\d.]+%)\) and the (?:(\d+) other models \(([\d.]+%) each\)|other model \(([\d.]+%)\)) with the lowest error/.exec(how);
  if (kept) {
    const [, anchor, weight, n, each, one] = kept;
    return n !== undefined
      ? `${anchor} kept at ${weight}, plus the ${n} others with the lowest cross-validation error at ${each} each`
      : `${anchor} kept at ${weight}, plus the other with the lowest cross-validation error at ${one}`;
  }
  // "weighted mean of all 4 models (ensemble, ets, ...: ensemble 60%, the others 13.3% each), each scored by ..."
  const all = /^weighted mean of all (\d+) models \([^:]*: (\S+) ([\d.]+%), the others? ([\d.]+%)(?: each)?\)/.exec(how);
  if (all) {
    const [, n, anchor, weight, rest] = all;
    return `all ${n} models: ${anchor} kept at ${weight}, ${Number(n) === 2 ? 'the other' : 'the others'} at ${rest}${Number(n) === 2 ? '' : ' each'}`;
  }
  const keptEqual = /^mean of (\S+) \(kept for every SKU\) and the (\d+) other models with the lowest error/.exec(how);
  if (keptEqual) return `equal mean of ${keptEqual[1]} (always in) and the ${keptEqual[2]} others with the lowest cross-validation error`;
  const allEqual = /^mean of all (\d+) models/.exec(how);
  if (allEqual) return `equal mean of all ${allEqual[1]} models`;
  const top = /^mean of the (\d+) models with the lowest error/.exec(how);
  if (top) return `equal mean of the ${top[1]} with the lowest cross-validation error`;
  if (/^lowest error in rolling-origin cross-validation/.test(how)) return 'lowest cross-validation error';
  if (/^the only model with/.test(how)) return 'the only model cross-validated';
  if (/cross-validation/.test(how)) return 'made from cross-validation';
  return 'chosen automatically';
}

/**
 * Why the default mix's own error can exceed a single model's: the ensemble's weight is fixed, not
 * earned on this SKU. Null for a forecast that is no such mix.
 */
export function choiceWhy(item: Pick<SkuForecast, 'selectedBy' | 'selection'>): string | null {
  if (item.selectedBy === 'override' || !/kept for every SKU|^weighted mean of all/.test(item.selection?.how ?? '')) return null;
  return 'The ensemble keeps its weight whatever its error on this SKU, so one model can score lower here; over many series this fixed mix forecast better than the model with the lowest cross-validation error (docs/forecasting.md).';
}

/**
 * What the shown forecast's `error` is, one name wherever the app shows it (the SKU list's "err",
 * the SKU view's title): a mix's error is over its cross-validation origins, a model's alone its
 * metrics, which are its cross-validation's too (run-forecast.ts: the holdout's only where the
 * history was too short for cross-validation). The list said "Holdout error" for what the SKU
 * view and Settings call the cross-validation error.
 */
export const shownErrorTitle =
  "Cross-validation error of the forecast shown, by the dataset's metric (where the history was too short for cross-validation: its holdout error)";
