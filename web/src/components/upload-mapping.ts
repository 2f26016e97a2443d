import type { ColumnMapping, MappingOption } from '../api/types.js';

/**
 * The planner's mapping: `keyParts` are the other columns of a composite key (a store column
 * beside the item), kept in the file's column order with `sku` when sent.
 */
export type Mapping = ColumnMapping & { keyParts?: string[] };

/**
 * What the API's `mapping` takes: the dry run's detected mapping also names `skuColumns`, which is
 * not an option. A composite key goes as its columns in the file's order (`store` before `item`
 * names the SKU `S1 / I7`); a wide file has one SKU column.
 */
export function sentMapping(m: Mapping | null | undefined, columns: string[], format?: 'long' | 'wide' | ''): MappingOption | undefined {
  if (!m) return undefined;
  const extra = format === 'wide' ? [] : (m.keyParts ?? []).filter((c) => c !== m.sku && c !== m.date && c !== m.quantity);
  const sku = extra.length ? keyInFileOrder(m.sku, extra, columns) : m.sku;
  const attributes = (m.attributes ?? []).filter((c) => c !== m.sku && c !== m.date && c !== m.quantity && !extra.includes(c));
  return attributes.length ? { sku, date: m.date, quantity: m.quantity, attributes } : { sku, date: m.date, quantity: m.quantity };
}

export function keyInFileOrder(sku: string, extra: string[], columns: string[]): string[] {
  const key = columns.filter((c) => c === sku || extra.includes(c));
  return [...key, ...[...extra, sku].filter((c) => !key.includes(c))];
}
