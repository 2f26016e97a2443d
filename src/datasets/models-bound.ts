import { MAX_ABS_VALUE } from '../forecasting/index.js';
import type { ImportReport } from './dataset.js';
import { DatasetValidationError, type ValidationDetail } from './dataset-validation-error.js';

/**
 * Each line is held to the models' bound (MAX_ABS_VALUE) as it is read, but a period is the sum
 * of its lines, and an actual merges into a stored period: two lines of 9e14 make a period the
 * models refuse, whose jobs would be accepted only to fail. Checked on the periods before anything
 * is stored; `outcome` says what became of the request ("nothing was imported").
 */
export function refuseBeyondModels(series: Iterable<{ sku: string; dates: string[]; original: number[] }>, outcome: string, report?: ImportReport): void {
  const details: ValidationDetail[] = [];
  for (const s of series) {
    const i = s.original.findIndex((v) => Math.abs(v) > MAX_ABS_VALUE);
    if (i >= 0) details.push({ path: 'file', message: `SKU '${s.sku}' ${s.dates[i]} sums to ${s.original[i]}, beyond 1e15, the largest the models take (rescale the data)` });
    if (details.length === 20) break;
  }
  if (details.length > 0) throw new DatasetValidationError(`a period sums beyond 1e15, the largest the models take: ${outcome} (${details[0].message})`, details, report);
}
