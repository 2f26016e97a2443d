import { describe, expect, it } from 'vitest';
import { SkuAttributeColumns } from './sku-attributes.js';

describe('SkuAttributeColumns', () => {
  it('keeps no attributes until columns are named', () => {
    const attributes = new SkuAttributeColumns();
    attributes.newSku(['North']);
    expect(attributes.otherLine(0, 'A', ['South'])).toBeNull();
    expect(attributes.of(0)).toBeUndefined();
    expect(attributes.conflictWarnings(() => [], () => 0)).toEqual([]);
  });

  it('keeps a SKU\'s first non-empty value, filling an empty one later, and warns of another', () => {
    const attributes = new SkuAttributeColumns();
    attributes.set(['region', 'category']);
    attributes.newSku([' North ', '']);
    expect(attributes.otherLine(0, 'A', ['North', 'Toys'])).toBeNull();
    expect(attributes.otherLine(0, 'A', ['South', ''])).toBeNull();
    expect(attributes.of(0)).toEqual({ region: 'North', category: 'Toys' });
    // Rows 0-2 are North, North, South: the hint only when a North and the South line share a day.
    attributes.row(0, [' North ', '']);
    attributes.row(0, ['North', 'Toys']);
    attributes.row(0, ['South', '']);
    const sameDay = attributes.conflictWarnings(() => [0, 1, 2], () => 100);
    expect(sameDay).toEqual(["attribute 'region' has more than one value for some SKUs (A: 'North' and 'South'); the first is kept; some SKUs have lines of two region values on one date, summed: if each region is a series of its own, make 'region' part of the SKU key"]);
    const apart = attributes.conflictWarnings(() => [0, 1, 2], (r) => 100 + r);
    expect(apart).toEqual(["attribute 'region' has more than one value for some SKUs (A: 'North' and 'South'); the first is kept"]);
  });

  it('refuses a line whose key part differs from the SKU\'s first, naming both', () => {
    const attributes = new SkuAttributeColumns();
    attributes.set(['store', 'item', 'colour'], 2);
    attributes.newSku(['A / B', 'C', 'red']);
    expect(attributes.otherLine(0, 'A / B / C', ['A', 'B / C', 'red'])).toBe("SKU 'A / B / C' has other parts on an earlier line (store 'A / B', here 'A')");
    expect(attributes.otherLine(0, 'A / B / C', ['A / B', 'C', 'blue'])).toBeNull();
    expect(attributes.of(0)).toEqual({ store: 'A / B', item: 'C', colour: 'red' });
  });
});
