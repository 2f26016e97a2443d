import type { SkuForecast } from '../api/types.js';

/**
 * A few words for how the shown forecast was chosen, read from the API's `selection.how` (the
 * full sentence stays under the SKU's title). The default choice is a weighted mean picked by
 * rolling-origin cross-validation, not the model with the lowest holdout error, so the label never
 * says "best": a single model in the table can have a lower error than the mean shown.
 */
export function choiceLabel(item: Pick<SkuForecast, 'selectedBy' | 'selection'>): string {
  if (item.selectedBy === 'override') return 'chosen by you';
  const how = item.selection?.how ?? '';
  if (/none was scored/.test(how)) return 'first enabled model, unscored';
  if (/no cross-validation/.test(how)) return 'lowest holdout error';
  if (/cross-validation/.test(how)) return 'chosen by cross-validation';
  return 'chosen automatically';
}
