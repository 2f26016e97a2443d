import { describe, expect, it } from 'vitest';
import { foldSku, lookalikeSkus, withinOneEdit } from './sku-lookalike.js';

describe('foldSku', () => {
  it('drops case, spaces, dashes, underscores and reads O/0, I/l/1, S/5, B/8 as one', () => {
    expect(foldSku('A-1O02')).toBe('a1002');
    expect(foldSku('a_1002')).toBe('a1002');
    expect(foldSku('A 1002')).toBe('a1002');
    expect(foldSku('SKU-Il1')).toBe('5ku111');
    expect(foldSku('B8')).toBe('88');
  });
});

describe('withinOneEdit', () => {
  it.each([
    ['a1002', 'a1002', true],
    ['a1002', 'a1003', true], // replaced
    ['a1002', 'a10002', true], // inserted
    ['a10002', 'a1002', true], // dropped
    ['a1002', 'a0102', true], // neighbours swapped
    ['a1002', 'a2001', false], // swapped apart: two edits
    ['a1002', 'a1099', false],
    ['a1002', 'a100234', false],
    ['abc', 'bca', false],
    ['', 'a', true],
  ])('%s / %s: %s', (a, b, want) => {
    expect(withinOneEdit(a, b)).toBe(want);
    expect(withinOneEdit(b, a)).toBe(want);
  });
});

describe('lookalikeSkus', () => {
  const dataset = ['A-1000', 'A-1001', 'A-1002', 'A-1003', 'B-2000', 'C-77'];

  it('names the SKU a code with a look-alike character means (A-1O02 is A-1002)', () => {
    expect(lookalikeSkus(['A-1O02'], dataset)).toEqual([{ sku: 'A-1O02', like: 'A-1002' }]);
    expect(lookalikeSkus(['a_1002', 'A 1002', 'b2OOO'], dataset)).toEqual([
      { sku: 'a_1002', like: 'A-1002' }, { sku: 'A 1002', like: 'A-1002' }, { sku: 'b2OOO', like: 'B-2000' },
    ]);
  });

  it('names the one SKU one edit away, and none when two are', () => {
    expect(lookalikeSkus(['B-20000', 'B-200', 'B-2OO'], dataset)).toEqual([
      { sku: 'B-20000', like: 'B-2000' }, { sku: 'B-200', like: 'B-2000' }, { sku: 'B-2OO', like: 'B-2000' },
    ]);
    // A-1004 is one edit from A-1000, A-1001, A-1002 and A-1003: no clear one.
    expect(lookalikeSkus(['A-1004'], dataset)).toEqual([]);
    // A swap of neighbours is one edit.
    expect(lookalikeSkus(['B-0200'], ['B-2000', 'X-1'])).toEqual([{ sku: 'B-0200', like: 'B-2000' }]);
  });

  it('says nothing for a code like no SKU, a short code one edit away, or two look-alikes', () => {
    expect(lookalikeSkus(['Z-9999'], dataset)).toEqual([]);
    expect(lookalikeSkus(['C-78'], dataset)).toEqual([]);
    expect(lookalikeSkus(['A-1O02'], ['A-1002', 'A_1002'])).toEqual([]);
  });

  it('looks at the first `limit` codes only, and nothing without new codes', () => {
    expect(lookalikeSkus(['Z-1', 'A-1O02'], dataset, 1)).toEqual([]);
    expect(lookalikeSkus([], dataset)).toEqual([]);
  });

  // What it costs is not timed here (tests never time anything): the scan is one pass over the
  // folded codes per new SKU, at most 20 of them.
  it('finds each of 20 one-edit look-alikes among 50,000 SKUs', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `SKU-${String(i).padStart(6, '0')}`);
    const asked = Array.from({ length: 20 }, (_, i) => `SKU-${String(i * 1000 + 7).padStart(6, '0')}X`);
    const found = lookalikeSkus(asked, many);
    expect(found).toHaveLength(20);
    expect(found[0]).toEqual({ sku: 'SKU-000007X', like: 'SKU-000007' });
  });
});
