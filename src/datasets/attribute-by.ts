import type { Store } from '../stores/store.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * `?by=` of the totals and of forecast vs actual: an attribute the dataset's SKUs carry (a
 * composite key's part such as `store`, or a column marked `mapping.attributes`), resolved once
 * for both so that they take and refuse the same names.
 */
export interface AttributeBy {
  /** The attribute as the SKUs spell it (`Store` for `?by=store`), or null without `by`. */
  by: string | null;
  /** Every attribute the SKUs have, sorted, for a picker. */
  attributes: string[];
  /** sku -> its attributes. */
  attributesBySku: Record<string, Record<string, string>>;
}

/** `withoutBy`: what the caller gets without `by`, for the message that refuses an empty one. */
export async function attributeBy(store: Store, datasetId: string, by: string | undefined, withoutBy = "the dataset's total alone"): Promise<AttributeBy> {
  const attributesBySku = await store.skuAttributes(datasetId);
  const names = new Set<string>();
  for (const a of Object.values(attributesBySku)) for (const name of Object.keys(a)) names.add(name);
  const attributes = [...names].sort();
  const listed = attributes.map((a) => `'${a}'`).join(', ');
  const accepted = attributes.length > 0 ? `the SKUs have ${listed}` : 'the SKUs of this dataset have no attributes (mapping.attributes at import)';
  // `?by=` with no value: said in words with what is taken, rather than the schema's "Too small".
  if (by === '') {
    throw new DatasetValidationError(
      attributes.length > 0 ? `by is empty: name one of the SKUs' attributes (${listed}), or leave by out for ${withoutBy}` : `by is empty: the SKUs of this dataset have no attributes; leave by out for ${withoutBy}`,
      [{ path: 'by', message: `empty: ${accepted}; without by, ${withoutBy}` }],
    );
  }
  return { by: by === undefined ? null : attributeNamed(by, attributes, accepted), attributes, attributesBySku };
}

/**
 * The attribute `by` names: itself when the SKUs have it, else the one attribute equal to it
 * ignoring case (a planner types `?by=store` for a `Store` column); two that differ only in case
 * (`Category`, `category`) are ambiguous and, like an unknown name, a 400 naming `by`.
 */
function attributeNamed(by: string, attributes: string[], accepted: string): string {
  if (attributes.includes(by)) return by;
  const lower = by.toLowerCase();
  const matches = attributes.filter((a) => a.toLowerCase() === lower);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const listed = matches.map((a) => `'${a}'`).join(', ');
    throw new DatasetValidationError(`ambiguous attribute '${by}': the SKUs have ${listed}, which differ only in case; name one exactly`, [
      { path: 'by', message: `matches ${listed} ignoring case: name one exactly` },
    ]);
  }
  throw new DatasetValidationError(`unknown attribute '${by}'`, [{ path: 'by', message: accepted }]);
}

/** Groups in the order both answers list them: by value, the SKUs without the attribute last. */
export function byGroupValue(a: { value: string | null }, b: { value: string | null }): number {
  return a.value === null ? 1 : b.value === null ? -1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
