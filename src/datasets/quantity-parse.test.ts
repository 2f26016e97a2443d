import { describe, expect, it } from 'vitest';
import { decimalMarkOf, dotUse, hasCurrency, parseQuantity } from './quantity-parse.js';

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
  it('reads one dotted group like several when the comma is the decimal mark: "1.234" is 1234, as "1.234.567" is 1234567', () => {
    expect(parseQuantity('1.234', ',')).toBe(1234);
    expect(parseQuantity('-1.234', ',')).toBe(-1234);
    expect(parseQuantity('(1.234)', ',')).toBe(-1234);
    expect(parseQuantity('1.234 €', ',')).toBe(1234);
    expect(parseQuantity('1.23', ',')).toBe(1.23);
    expect(parseQuantity('1234.5', ',')).toBe(1234.5);
    expect(parseQuantity('1.234', '.')).toBe(1.234);
  });
  it.each([['1.234', 'thousands'], ['(1.234)', 'thousands'], ['1.234-', 'thousands'], ['€ 1.234', 'thousands'], ['12.5', 'decimal'], ['1.2345', 'decimal'], ['1.234,5', null], ['12', null]] as const)(
    'dotUse(%j) is %s',
    (text, use) => expect(dotUse(text)).toBe(use),
  );
  it.each([
    ['1,234', '.', 1234], ['1,234,567.25', '.', 1234567.25], ['1.234,5', '.', 1234.5], ['1 234,5', ',', 1234.5],
    ['1\u00a0234,5', ',', 1234.5], ['1 234 567', '.', 1234567], ["1'234", '.', 1234], ['1\u202f234.5', '.', 1234.5],
    ['12-', '.', -12], ['(12)', '.', -12], ['(1,234.5)', '.', -1234.5], ['1.234,5-', ',', -1234.5],
    ['$12', '.', 12], ['12 €', ',', 12], ['€ 1.234,50', ',', 1234.5], ['-$5', '.', -5], ['($7)', '.', -7], ['£1,200', '.', 1200],
  ] as const)('%j (decimal %s) is %d', (text, decimal, expected) => {
    expect(parseQuantity(text, decimal)).toBe(expected);
  });
  it.each(['', 'abc', 'NaN', 'Infinity', '0x10', '1e400', '12,5', '1,2,3', '5 units', '1,23', '12 34', '(-12)', '--3', '(12', '$', '12$$', '1 2345'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
  it('says when a currency symbol was there', () => {
    expect(hasCurrency('$12')).toBe(true);
    expect(hasCurrency('12')).toBe(false);
  });
  it.each([
    [';', 'a;b\n1;2', ','], [',', 'a,b\n"1,5",2', '.'],
    ['\t', 'sku\tdate\tqty\tprice\nA\t19.04.2019\t3\t11,95\n', ','], ['\t', 'sku\tqty\nA\t1.234,5\n', ','],
    ['\t', 'sku\tqty\tprice\nA\t3\t11.95\n', '.'], ['\t', 'sku\tqty\nA\t1,234\nB\t2.500\n', '.'], ['|', 'a|b\nA|1,5\nB|2.25\n', '.'],
  ] as const)('decimalMarkOf(%j, %j) is %s', (delimiter, head, mark) => {
    expect(decimalMarkOf(delimiter, head)).toBe(mark);
  });
});
