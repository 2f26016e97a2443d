import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Which columns hold the SKU, the date and the quantity: given explicitly, or found among the
 * headers by common names. Names are compared lower-cased without spaces, dashes or underscores,
 * so "Item ID", "item_id" and "itemId" all match.
 */
export interface ColumnMapping {
  sku: string;
  date: string;
  quantity: string;
}

export const headerSynonyms: Record<keyof ColumnMapping, string[]> = {
  sku: ['sku', 'item', 'product', 'id', 'skuid', 'itemid', 'productid', 'uniqueid', 'article', 'material', 'code', 'itemcode', 'productcode', 'series'],
  date: ['date', 'period', 'week', 'month', 'ds', 'day', 'time', 'timestamp', 'year', 'quarter', 'orderdate', 'salesdate'],
  quantity: ['sales', 'qty', 'quantity', 'units', 'demand', 'y', 'volume', 'value', 'amount', 'unitssold', 'salesqty', 'salesunits', 'sold', 'count'],
};

export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** The index of the first header matching a synonym, exact names before names containing one. */
function findColumn(headers: string[], synonyms: string[], taken: Set<number>): number {
  const normalized = headers.map(normalizeHeader);
  for (const synonym of synonyms) {
    const i = normalized.findIndex((h, k) => h === synonym && !taken.has(k));
    if (i >= 0) return i;
  }
  for (const synonym of synonyms) {
    if (synonym.length < 3) continue;
    const i = normalized.findIndex((h, k) => h.includes(synonym) && !taken.has(k));
    if (i >= 0) return i;
  }
  return -1;
}

export interface ResolvedColumns {
  sku: number;
  date: number;
  quantity: number;
  mapping: ColumnMapping;
}

/** The column indexes for a long-format file; throws naming the field that has no column. */
export function resolveLongColumns(headers: string[], explicit: Partial<ColumnMapping> = {}): ResolvedColumns {
  const taken = new Set<number>();
  const indexes: Partial<Record<keyof ColumnMapping, number>> = {};
  const details: Array<{ path: string; message: string }> = [];
  const fields: Array<keyof ColumnMapping> = ['sku', 'date', 'quantity'];
  // Explicit names first, so detection does not take a column the caller assigned elsewhere.
  for (const field of fields) {
    const name = explicit[field];
    if (name === undefined || name === '') continue;
    const i = headers.findIndex((h) => h.trim() === name.trim());
    const j = i >= 0 ? i : headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
    if (j < 0) {
      details.push({ path: `mapping.${field}`, message: `no column named '${name}' (columns: ${headers.join(', ')})` });
    } else {
      indexes[field] = j;
      taken.add(j);
    }
  }
  for (const field of fields) {
    if (indexes[field] !== undefined || explicit[field]) continue;
    const i = findColumn(headers, headerSynonyms[field], taken);
    if (i < 0) {
      details.push({
        path: `mapping.${field}`,
        message: `no column for the ${field === 'sku' ? 'SKU' : field}: looked for ${headerSynonyms[field].slice(0, 6).join(', ')}; found ${headers.join(', ') || 'no header'}`,
      });
    } else {
      indexes[field] = i;
      taken.add(i);
    }
  }
  if (details.length > 0) {
    throw new DatasetValidationError(`could not find the columns: ${details.map((d) => d.path).join(', ')}`, details);
  }
  const { sku, date, quantity } = indexes as Record<keyof ColumnMapping, number>;
  return { sku, date, quantity, mapping: { sku: headers[sku], date: headers[date], quantity: headers[quantity] } };
}

/** The SKU column of a wide file: the named one, a synonym, or the first column that is not a date. */
export function resolveWideSkuColumn(headers: string[], isDateColumn: boolean[], explicit?: string): number {
  if (explicit) {
    const i = headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(explicit));
    if (i < 0) {
      throw new DatasetValidationError('could not find the columns: mapping.sku', [
        { path: 'mapping.sku', message: `no column named '${explicit}' (columns: ${headers.join(', ')})` },
      ]);
    }
    return i;
  }
  const notDates = new Set(headers.map((_, i) => i).filter((i) => isDateColumn[i]));
  const bySynonym = findColumn(headers, headerSynonyms.sku, notDates);
  if (bySynonym >= 0) return bySynonym;
  const first = isDateColumn.findIndex((d) => !d);
  if (first < 0) {
    throw new DatasetValidationError('a wide file needs a SKU column', [{ path: 'mapping.sku', message: 'every column is a date' }]);
  }
  return first;
}
