/**
 * Inputs a hostile or careless client sends, for the property tests in tests/hostile: numbers at
 * the edges of doubles, numbers as strings, dates far in the past and future, SKU names with
 * quotes, commas, newlines and unicode, prototype-pollution keys, and nesting.
 */
import fc from 'fast-check';
import { MAX_SKU_LENGTH } from '../../src/datasets/max-sku-length.js';

export const edgeNumbers = [1e308, -1e308, 1.7976931348623157e308, -0, 0, 5e-324, 1e15, 1e16, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, -1, 0.1 + 0.2];
export const numbersAsStrings = ['NaN', 'Infinity', '-Infinity', '1e308', '1e309', '-0', '', ' ', '0x10', '1_000', '1,5', '12abc', '٣', '１２'];
export const edgeDates = ['0001-01-01', '9999-12-31', '0000-00-00', '2023-02-30', '2024-02-29', '1970-01-01', '-0001-01-01', '+275760-09-13', '2024-13-01', '2024-1-1', '20240101', '01/02/2024', ''];
export const awkwardSkus = ['a"b', '"', '""', 'a,b', ',', 'a\nb', '\r\n', 'a\tb', '😀', 'ü', 'ẞ', '\u202eRTL', '\u0000', ' padded ', '=1+1', '<script>', '__proto__', 'constructor', 'prototype', 'toString', 'x'.repeat(MAX_SKU_LENGTH)]; // the longest SKU taken (a longer one is refused, naming it)
export const pollutionKeys = ['__proto__', 'constructor', 'prototype'];

export const awkwardString = fc.oneof(
  fc.constantFrom(...awkwardSkus, ...numbersAsStrings, ...edgeDates),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...edgeNumbers, null, true, false),
  awkwardString,
  fc.double(),
  fc.integer(),
);

const key = fc.oneof(
  fc.constantFrom(...pollutionKeys, 'data', 'skus', 'models', 'settings', 'sku', 'date', 'sales', 'status', 'batchId', 'datasetId', 'horizon', 'edits', 'value'),
  fc.string({ maxLength: 10 }),
);

/** Any JSON-able value: scalars above, arrays and objects (keys include __proto__) a few levels deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON text of `value`, keeping own "__proto__" keys (JSON.stringify does) and writing -0 as -0. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (Object.is(v, -0) ? '__MINUS_ZERO__' : v)).replaceAll('"__MINUS_ZERO__"', '-0');
}

/** `depth` levels of arrays or objects around a number, as JSON text. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Rows of monthly sales for `skus`, `months` each, valid. */
export function salesRows(skus: string[], months = 24, offset = 0): Array<{ sku: string; date: string; sales: number }> {
  return skus.flatMap((sku, s) => Array.from({ length: months }, (_, t) => ({
    sku,
    date: `${2018 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`,
    sales: 50 + ((t * 7 + s * 13 + offset) % 40),
  })));
}
