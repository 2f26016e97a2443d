import { describe, expect, it } from 'vitest';
import { parseQuantity } from './quantity-parse.js';

describe('parseQuantity', () => {
  it('reads dot decimals', () => {
    expect(parseQuantity(' 12.5 ')).toBe(12.5);
    expect(parseQuantity('-3')).toBe(-3);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('.5')).toBe(0.5);
  });
  it('reads decimal commas and dotted thousands when the comma is the decimal mark', () => {
    expect(parseQuantity('12,5', ',')).toBe(12.5);
    expect(parseQuantity('1.234,5', ',')).toBe(1234.5);
    expect(parseQuantity('1.234.567', ',')).toBe(1234567);
    expect(parseQuantity('12.5', ',')).toBe(12.5);
  });
  it.each(['', 'abc', 'NaN', 'Infinity', '0x10', '1e400', '12,5', '1,2,3', '5 units'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
});
