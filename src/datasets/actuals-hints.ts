import { counted } from './counted.js';
import type { ImportReport } from './dataset.js';
import { lookalikeSkus, type SkuLike } from './sku-lookalike.js';

/** How many of the new SKUs (sorted) are matched against the dataset's: the ones a check lists. */
export const newSkusLooked = 20;

/** The new SKUs that look like one of the dataset's (A-1O02, did you mean A-1002?), named. */
export function newSkusLikeWarning(like: SkuLike[]): string {
  const shown = like.slice(0, 5).map((l) => `${l.sku} (new: did you mean ${l.like}?)`).join(', ') + (like.length > 5 ? `, and ${like.length - 5} more` : '');
  const one = like.length === 1;
  return `${counted(like.length, "new SKU looks like one of the dataset's", "new SKUs look like the dataset's")}: ${shown}; ${one ? 'it would be added as a new SKU' : 'they would be added as new SKUs'}: if mistyped, correct the file and send it again`;
}

/** A file that changes nothing: said plainly, as a file picked twice does. */
export const changesNothingText = 'this file changes nothing: every value in it is already stored (applied before?)';

export function changesNothingWarning(rejectedCount: number): string {
  return rejectedCount > 0 ? `${changesNothingText}; its ${counted(rejectedCount, 'rejected line')} aside` : changesNothingText;
}

/**
 * The hints an actuals check and append add to report.warnings, after the merge: the new SKUs
 * that look like the dataset's (read through `datasetSkus`, only when there are new SKUs), and a
 * file that changes nothing. Answers the new SKUs' matches (ActualsOutcome.newSkusLike).
 */
export async function actualsHints(report: ImportReport, newSkus: string[], changed: number, datasetSkus: () => Promise<string[]>): Promise<SkuLike[]> {
  const like = newSkus.length > 0 ? lookalikeSkus(newSkus, await datasetSkus(), newSkusLooked) : [];
  if (like.length > 0) report.warnings = [...report.warnings, newSkusLikeWarning(like)];
  if (changed === 0) report.warnings = [...report.warnings, changesNothingWarning(report.rejectedCount ?? 0)];
  return like;
}
export type { SkuLike } from './sku-lookalike.js';
