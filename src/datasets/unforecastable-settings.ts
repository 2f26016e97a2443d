import type { DatasetSettings } from './dataset.js';
import { counted } from './counted.js';
import type { ValidationDetail } from './dataset-validation-error.js';
import { fullHoldoutShortfall } from './job-planner.js';

/**
 * Why new settings would leave a dataset with no forecastable SKU, each detail naming the setting
 * (`holdout` with the longest this dataset allows, else `models`); [] when they leave one.
 *
 * A change that skips every SKU's jobs would be stored all the same: the settings would say a
 * holdout of 40 while every forecast shown was made with the previous one, and every later actuals
 * file would skip every job too, leaving the forecasts behind the history. So it is refused.
 * "Forecastable" here is "long enough for the holdout" (fullHoldoutShortfall, the planner's rule
 * without its short-history fallback): a SKU shorter than the holdout is still forecast with a
 * smaller one (effectiveHoldout), but a holdout no SKU is long enough for validates nothing. A dataset with no
 * forecastable SKU under its current settings (every history too short at import) may still change
 * them: nothing it shows goes stale, and the report's `tooShort` already says why.
 *
 * An import refuses the holdout or models its caller gave the same way (storeImport), `before`
 * being the loosest values of what they gave, so only a choice that is the cause is refused.
 *
 * `lengths`: the length of every SKU's history (its cleaned values), as the planner counts it.
 * `wording`: what the holdout is limited for and what became of the request, for the message.
 */
export function unforecastableSettings(
  lengths: Iterable<number>,
  before: DatasetSettings,
  after: DatasetSettings,
  wording: { subject: string; outcome: string } = { subject: 'this dataset', outcome: 'nothing was changed' },
): ValidationDetail[] {
  const distinct = [...new Set(lengths)];
  const reaches = (settings: DatasetSettings) =>
    distinct.some((length) => settings.models.some((modelId) => fullHoldoutShortfall(length, settings, modelId) === null));
  if (distinct.length === 0 || reaches(after) || !reaches(before)) return [];
  const longest = Math.max(...distinct);
  const why = `with these settings no SKU's history is long enough (the longest has ${counted(longest, 'period')}); ${wording.outcome}`;
  for (let holdout = after.holdout - 1; holdout >= 0; holdout--) {
    if (reaches({ ...after, holdout })) return [{ path: 'holdout', message: `must be at most ${holdout} for ${wording.subject}: ${why}` }];
  }
  return [{ path: 'models', message: `none of ${after.models.join(', ')} can fit a history this short: ${why}` }];
}
