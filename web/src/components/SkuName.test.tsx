import { describe, expect, it } from 'vitest';
import { splitSkuName } from './SkuName.js';

describe('splitSkuName', () => {
  it('keeps the last part of a composite key, else the last 8 characters of a long name', () => {
    expect(splitSkuName('Berlin Mitte / ART-1038')).toEqual({ head: 'Berlin Mitte', tail: ' / ART-1038' });
    expect(splitSkuName('Nord / Küche / ART-7')).toEqual({ head: 'Nord / Küche', tail: ' / ART-7' });
    expect(splitSkuName('SKU-00012')).toEqual({ head: '', tail: 'SKU-00012' });
    expect(splitSkuName('BEVERAGE-CAN-0001234')).toEqual({ head: 'BEVERAGE-CAN', tail: '-0001234' });
  });
});
