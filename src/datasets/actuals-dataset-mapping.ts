import type { MappingRequest } from './column-mapping.js';
import type { Dataset } from './dataset.js';

/**
 * The columns the dataset was imported with, as a mapping request (a composite key as its
 * columns). A wide import's report names its date and quantity with labels that are no columns
 * ('(one column per date)', '(cells)'): only its SKU column is one.
 */
export function datasetMapping(dataset: Dataset): MappingRequest | undefined {
  const m = dataset.report.mapping;
  if (!m) return undefined;
  if (dataset.report.format === 'wide') return { sku: m.sku };
  const key = m.skuColumns && m.skuColumns.length > 0 ? m.skuColumns : m.sku;
  const attributes = (m.attributes ?? []).filter((a) => !(m.skuColumns ?? []).includes(a));
  return { sku: key, date: m.date, quantity: m.quantity, ...(attributes.length > 0 ? { attributes } : {}) };
}
