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

/**
 * A column as a mapping names it: its header, or its number from 1 (left to right), which is the
 * only way to choose between two columns of one name (`sku,date,sales,sales`).
 */
export type ColumnRef = string | number;

/**
 * What a caller may say about the columns: the SKU as one column or several (a composite key,
 * `["store", "item"]`, joined into one SKU name and kept apart as attributes), and the columns to
 * keep as each SKU's attributes (category, region). Each by name or by number (ColumnRef).
 */
export interface MappingRequest {
  sku?: ColumnRef | ColumnRef[];
  date?: ColumnRef;
  quantity?: ColumnRef;
  attributes?: ColumnRef[];
}

const isRef = (x: unknown): x is ColumnRef => (typeof x === 'string' && x.trim() !== '') || (typeof x === 'number' && Number.isInteger(x) && x >= 1);
const isRefs = (v: unknown): v is ColumnRef[] => Array.isArray(v) && v.every(isRef);

/**
 * A mapping as a client sent it (parsed JSON), checked: sku a column or a non-empty list of
 * columns, date and quantity columns, attributes a list of columns, each a name or a number from
 * 1. Throws naming the field.
 */
export function mappingRequestFrom(parsed: Record<string, unknown>): MappingRequest {
  const refuse = (path: string, message: string) => new DatasetValidationError('invalid mapping', [{ path, message }]);
  const mapping: MappingRequest = {};
  for (const key of Object.keys(parsed)) {
    if (!['sku', 'date', 'quantity', 'attributes'].includes(key)) throw refuse(`mapping.${key}`, 'unknown key (sku, date, quantity, attributes)');
  }
  const { sku, date, quantity, attributes } = parsed;
  if (sku !== undefined) {
    if (typeof sku !== 'string' && !isRef(sku) && !(isRefs(sku) && sku.length > 0)) throw refuse('mapping.sku', 'must be a column name (or its number, from 1) or a non-empty list of them');
    mapping.sku = sku as ColumnRef | ColumnRef[];
  }
  for (const [key, value] of [['date', date], ['quantity', quantity]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && !isRef(value)) throw refuse(`mapping.${key}`, 'must be a column name or its number, from 1');
    mapping[key] = value as ColumnRef;
  }
  if (attributes !== undefined) {
    if (!isRefs(attributes)) throw refuse('mapping.attributes', 'must be a list of column names (or numbers, from 1)');
    mapping.attributes = attributes;
  }
  return mapping;
}

/** How a composite key's parts are joined into the SKU name ("S1 / I7"). */
export const SKU_KEY_SEPARATOR = ' / ';

/**
 * The English names, then the German ones (a German ERP or Excel export: Artikelnummer, Datum,
 * Menge). Listed after the English, so a file with both reads the English; the number of an
 * article (`artikelnummer`, `artnr`) before `artikel`, which as a part of a name would also match
 * its description (`Artikelbezeichnung`). No `jahr` or `tag`: as parts of a name they match
 * `Absatz Vorjahr` or `Montag` more often than a date. A name matched exactly wins over any
 * matched as a part (`Stückzahl` over `Stückpreis`, `Produktnummer` over `Produktgruppe`), and
 * some headers are never matched by a part (`partOfNameSkipped`, per field).
 */
export const headerSynonyms: Record<keyof ColumnMapping, string[]> = {
  sku: [
    'sku', 'item', 'product', 'id', 'skuid', 'itemid', 'productid', 'uniqueid', 'article', 'material', 'code', 'itemcode', 'productcode', 'series',
    'artikelnummer', 'artikelnr', 'artnr', 'artikelid', 'materialnummer', 'materialnr', 'produktnummer', 'produktnr', 'artikel', 'produkt',
  ],
  date: [
    'date', 'period', 'week', 'month', 'ds', 'day', 'time', 'timestamp', 'year', 'quarter', 'orderdate', 'salesdate',
    'datum', 'monat', 'woche', 'kw', 'kalenderwoche', 'periode', 'zeitraum',
  ],
  quantity: [
    'sales', 'qty', 'quantity', 'units', 'demand', 'y', 'volume', 'value', 'amount', 'unitssold', 'salesqty', 'salesunits', 'sold', 'count',
    'menge', 'absatz', 'absatzmenge', 'verkaufsmenge', 'stückzahl', 'stückzahlen', 'anzahl', 'stück', 'stueck', 'stk',
  ],
};

/**
 * Per field, the headers a synonym never matches as a part of their name, only exactly: they hold
 * the word of the column without being it. For the SKU a group, category, class or type
 * (`Produktgruppe`, `Item Group`, `Product Category`, `Item Type`: read as the SKU it would sum its
 * products into one), a price, value or revenue, or last year's figure; a name or description
 * (`Product Name`, `Artikelbezeichnung`) is not skipped, it identifies the product as well as a
 * number does in a simple export. For the quantity a price, a value, a revenue or an amount of
 * money (`Stückpreis`, `Absatzwert`, `Umsatz`, `Betrag`), or last year's figure (`Absatz Vorjahr`).
 * The date none (`PERIOD_NAME`, Oracle's period, is the date).
 */
const partOfNameSkipped: Record<keyof ColumnMapping, string[] | null> = {
  sku: ['gruppe', 'group', 'kategorie', 'category', 'klasse', 'class', 'type', 'typ', 'preis', 'price', 'wert', 'umsatz', 'betrag', 'vorjahr'],
  quantity: ['preis', 'price', 'wert', 'umsatz', 'betrag', 'vorjahr'],
  date: null,
};

/**
 * Whether a header holds one of `skipped` as a word: the word itself, its plural, or a compound
 * ending in it (`Produktgruppe`, `Stückpreis`, `Subclass`). Words, not letters: `Specialty
 * Product` holds `typ` and `Classic Item` `class` across or inside words, and are no types.
 */
function holdsSkippedWord(header: string, skipped: string[]): boolean {
  const words = header.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_\-.\/]+/).filter(Boolean);
  return words.some((w) => skipped.some((k) => w === k || w === `${k}s` || w === `${k}es` || w.endsWith(k)));
}
/** Synonyms matched only exactly: `Anzahl Filialen` is a count of stores, not of units. */
const exactOnly = new Set(['anzahl']);

export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_\-.]+/g, '');
}

/**
 * The index of the first header matching a synonym, exact names before names containing one
 * (those `skipped` never), each pass in the synonyms' order, then the headers'.
 */
function findColumn(headers: string[], synonyms: string[], taken: Set<number>, skipped: string[] | null): number {
  const normalized = headers.map(normalizeHeader);
  for (const synonym of synonyms) {
    const i = normalized.findIndex((h, k) => h === synonym && !taken.has(k));
    if (i >= 0) return i;
  }
  for (const synonym of synonyms) {
    if (synonym.length < 3 || exactOnly.has(synonym)) continue;
    const i = normalized.findIndex((h, k) => h.includes(synonym) && !taken.has(k) && !(skipped && holdsSkippedWord(headers[k], skipped)));
    if (i >= 0) return i;
  }
  return -1;
}

export interface ResolvedColumns {
  sku: number;
  date: number;
  quantity: number;
  /** The key's columns: [sku] for a single-column key. */
  skuColumns: number[];
  /** The columns stored as attributes: a composite key's parts, then the marked ones. */
  attributeColumns: number[];
  mapping: ColumnMapping & { skuColumns?: string[]; attributes?: string[] };
}

/** `3rd`, `4th`, `11th`, `22nd`. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The refusal of a column name several columns share (`indexes`, from 0): which it would be is a
 * guess (the first silently dropped the others' values), so the caller must choose by number.
 */
function sharedName(name: string, indexes: number[], path: string): string {
  const count = indexes.length === 2 ? 'two' : indexes.length === 3 ? 'three' : String(indexes.length);
  const numbers = indexes.map((i) => String(i + 1));
  return `${count} columns are named '${name.trim()}' (${listed(indexes.map((i) => ordinal(i + 1)))}): choose one by its number, ${path}: ${listed(numbers).replace(/ and /, ' or ')} (column numbers count from 1), or rename one in the file`;
}

/**
 * The column a mapping names (`path`, for the refusal): by its number from 1, else by its exact
 * (trimmed) name, else by its normalized name. A name several columns share, exactly or (with no
 * exact match) normalized, is refused: `problem` says which they are and how to choose.
 */
function columnOf(headers: string[], ref: ColumnRef, path: string, taken: ReadonlySet<number> = new Set()): { index: number } | { problem: string } {
  if (typeof ref === 'number') {
    if (Number.isInteger(ref) && ref >= 1 && ref <= headers.length) return { index: ref - 1 };
    return { problem: `no column ${ref}: the header has ${headers.length} (${headers.join(', ')})` };
  }
  const all = (same: (h: string) => boolean) => headers.flatMap((h, i) => (same(h) && !taken.has(i) ? [i] : []));
  let found = all((h) => h.trim() === ref.trim());
  if (found.length === 0) found = all((h) => normalizeHeader(h) === normalizeHeader(ref));
  if (found.length === 0) return { problem: `no column named '${ref}' (columns: ${headers.join(', ')})` };
  if (found.length > 1) return { problem: sharedName(ref, found, path) };
  return { index: found[0] };
}

const problemOf = (c: { index: number } | { problem: string }): string => ('problem' in c ? c.problem : '');

/**
 * The part of a preferred mapping (actuals: the dataset's own columns) that a file's header has:
 * a column the file lacks is left to detection, as an import would find it, so a file with the
 * dataset's columns is read by them and one without (a wide file for a long dataset, a renamed
 * quantity column) is still read. A composite key is kept whole: its parts are the SKU's name,
 * and a part missing must be refused by name, never silently make other SKUs. Undefined when
 * nothing is left (then a headerless file can still be recognised as one).
 */
export function presentColumns(preferred: MappingRequest | undefined, headers: string[]): MappingRequest | undefined {
  if (!preferred) return undefined;
  // A name the header has twice is kept: the import refuses it naming the field, never guesses.
  const has = (ref: ColumnRef | undefined): ref is ColumnRef => ref !== undefined && !/^no column/.test(problemOf(columnOf(headers, ref, '')));
  const out: MappingRequest = {};
  if (Array.isArray(preferred.sku) && preferred.sku.length > 1) out.sku = preferred.sku;
  else {
    const sku = Array.isArray(preferred.sku) ? preferred.sku[0] : preferred.sku;
    if (has(sku)) out.sku = sku;
  }
  if (has(preferred.date)) out.date = preferred.date;
  if (has(preferred.quantity)) out.quantity = preferred.quantity;
  const attributes = (preferred.attributes ?? []).filter(has);
  if (attributes.length > 0) out.attributes = attributes;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The key and attribute columns of a request; details name each column that is not there, or whose name is shared. */
function resolveKeyAndAttributes(headers: string[], explicit: MappingRequest, details: Array<{ path: string; message: string }>) {
  const skuNames = Array.isArray(explicit.sku) ? explicit.sku : [];
  const skuColumns: number[] = [];
  skuNames.forEach((name, k) => {
    const c = columnOf(headers, name, `mapping.sku[${k}]`);
    if ('problem' in c) details.push({ path: `mapping.sku[${k}]`, message: c.problem });
    else if (skuColumns.includes(c.index)) details.push({ path: `mapping.sku[${k}]`, message: `'${name}' is already part of the key` });
    else skuColumns.push(c.index);
  });
  const attributeColumns = [...skuColumns];
  (explicit.attributes ?? []).forEach((name, k) => {
    const c = columnOf(headers, name, `mapping.attributes[${k}]`);
    if ('problem' in c) details.push({ path: `mapping.attributes[${k}]`, message: c.problem });
    else if (!attributeColumns.includes(c.index)) attributeColumns.push(c.index);
  });
  return { skuColumns, attributeColumns };
}

/** The column indexes for a long-format file; throws naming the field that has no column. */
export function resolveLongColumns(headers: string[], request: MappingRequest = {}): ResolvedColumns {
  const taken = new Set<number>();
  const indexes: Partial<Record<keyof ColumnMapping, number>> = {};
  const details: Array<{ path: string; message: string }> = [];
  const fields: Array<keyof ColumnMapping> = ['sku', 'date', 'quantity'];
  const { skuColumns, attributeColumns } = resolveKeyAndAttributes(headers, request, details);
  if (skuColumns.length > 0) indexes.sku = skuColumns[0];
  for (const i of skuColumns) taken.add(i);
  const explicit: Partial<Record<keyof ColumnMapping, ColumnRef>> = {
    sku: Array.isArray(request.sku) ? (request.sku.length > 0 ? request.sku.join(SKU_KEY_SEPARATOR) : undefined) : request.sku,
    date: request.date,
    quantity: request.quantity,
  };
  // Explicit names first, so detection does not take a column the caller assigned elsewhere.
  for (const field of fields) {
    const name = explicit[field];
    if (name === undefined || name === '' || indexes[field] !== undefined) continue;
    const c = columnOf(headers, name, `mapping.${field}`);
    if ('problem' in c) {
      details.push({ path: `mapping.${field}`, message: c.problem });
    } else {
      indexes[field] = c.index;
      taken.add(c.index);
    }
  }
  for (const field of fields) {
    if (indexes[field] !== undefined || explicit[field]) continue;
    const i = findColumn(headers, headerSynonyms[field], taken, partOfNameSkipped[field]);
    if (i < 0) {
      details.push({
        path: `mapping.${field}`,
        message: `no column for the ${field === 'sku' ? 'SKU' : field}: looked for ${headerSynonyms[field].slice(0, 6).join(', ')}; found ${headers.join(', ') || 'no header'}`,
      });
    } else {
      // Another column of the same name (`sku,date,sales,sales`), not already given a field: taking
      // the first would silently drop the other's values.
      const same = headers.flatMap((h, k) => (normalizeHeader(h) === normalizeHeader(headers[i]) && (k === i || !taken.has(k)) ? [k] : []));
      if (same.length > 1) details.push({ path: `mapping.${field}`, message: sharedName(headers[i], same, `mapping.${field}`) });
      indexes[field] = i;
      taken.add(i);
    }
  }
  if (details.length > 0) {
    const error = new DatasetValidationError(`could not find the columns: ${details.map((d) => d.path).join(', ')}`, details);
    // `sku,date` over rows of a SKU and a date: a header without a quantity column, which a title
    // line (one cell, a report's name) never is; its rows must not be read as a wide file's header.
    if (indexes.sku !== undefined && indexes.date !== undefined) error.headerNamed = true;
    throw error;
  }
  const { sku, date, quantity } = indexes as Record<keyof ColumnMapping, number>;
  const key = skuColumns.length > 0 ? skuColumns : [sku];
  const mapping: ResolvedColumns['mapping'] = { sku: key.map((i) => headers[i]).join(SKU_KEY_SEPARATOR), date: headers[date], quantity: headers[quantity] };
  if (key.length > 1) mapping.skuColumns = key.map((i) => headers[i]);
  if (attributeColumns.length > 0) mapping.attributes = attributeColumns.map((i) => headers[i]);
  return { sku, date, quantity, skuColumns: key, attributeColumns, mapping };
}

/** The SKU column of a wide file: the named one, a synonym, or the first column that is not a date. */
export function resolveWideSkuColumn(headers: string[], isDateColumn: boolean[], explicit?: ColumnRef): number {
  if (explicit !== undefined && explicit !== '') {
    const c = columnOf(headers, explicit, 'mapping.sku');
    if ('problem' in c) throw new DatasetValidationError('could not find the columns: mapping.sku', [{ path: 'mapping.sku', message: c.problem }]);
    return c.index;
  }
  const notDates = new Set(headers.map((_, i) => i).filter((i) => isDateColumn[i]));
  const bySynonym = findColumn(headers, headerSynonyms.sku, notDates, partOfNameSkipped.sku);
  if (bySynonym >= 0) return bySynonym;
  const first = isDateColumn.findIndex((d) => !d);
  if (first < 0) {
    throw new DatasetValidationError('a wide file needs a SKU column', [{ path: 'mapping.sku', message: 'every column is a date' }]);
  }
  return first;
}
