import { describe, expect, it } from 'vitest';
import { QuantityMarks } from './quantity-marks.js';

describe('QuantityMarks', () => {
  it('counts currency symbols, naming the first', () => {
    const marks = new QuantityMarks();
    marks.note(2, '€12', 12, '.');
    marks.note(3, '5', 5, '.');
    marks.note(4, '$ 7', 7, '.');
    expect(marks.warnings()).toEqual(["2 quantities had a currency symbol, dropped (line 2: '€12'): is this column an amount rather than units?"]);
  });

  it('warns of dots only in a comma-decimal file using them both ways', () => {
    const one = new QuantityMarks();
    one.note(2, '1.234', 1234, ',');
    one.note(3, '2.500', 2500, ',');
    expect(one.warnings()).toEqual([]);
    one.note(4, '12.5', 12.5, ',');
    expect(one.warnings()).toEqual(["2 quantities were read with the dot grouping thousands (line 2: '1.234' as 1234), but 1 uses it as a decimal mark (line 4: '12.5' as 12.5): check the quantity column"]);
    const dotFile = new QuantityMarks();
    dotFile.note(2, '1.234', 1.234, '.');
    dotFile.note(3, '12.5', 12.5, '.');
    expect(dotFile.warnings()).toEqual([]);
  });
});
