import { describe, expect, it } from 'vitest';
import { AttributeRows } from './attribute-rows.js';

describe('AttributeRows', () => {
  // Rows: SKU 0 on days 1, 1, 2; SKU 1 on days 1, 2. Attributes after one key part: [store, category].
  const rows = new AttributeRows(2);
  const kept0 = ['I1', 'S1', 'dairy'];
  const kept1 = ['I2', 'S1', 'frozen'];
  rows.push(['I1', 'S1', 'dairy'], kept0, 1); // row 0, SKU 0, day 1
  rows.push(['I1', 'S2', 'dairy'], kept0, 1); // row 1, SKU 0, day 1: another store on the same day
  rows.push(['I1', 'S1', 'cheese'], kept0, 1); // row 2, SKU 0, day 2: relabelled the next day
  rows.push(['I2', 'S1', ''], kept1, 1); // row 3, SKU 1, day 1: no category
  rows.push(['I2', 'S1', 'frozen'], kept1, 1); // row 4, SKU 1, day 2
  const rowsOf = (s: number) => (s === 0 ? [0, 1, 2] : [3, 4]);
  const day = [1, 1, 2, 1, 2];

  it('finds two values of an attribute on one day, not a value that changed from one day to the next', () => {
    expect(rows.twoValuesOnOneDay(0, [0], rowsOf, (r) => day[r])).toBe(true); // store: S1 and S2 on day 1
    expect(rows.twoValuesOnOneDay(1, [0], rowsOf, (r) => day[r])).toBe(false); // category: dairy, then cheese
    expect(rows.twoValuesOnOneDay(1, [1], rowsOf, (r) => day[r])).toBe(false); // an empty value is no second one
  });
});
