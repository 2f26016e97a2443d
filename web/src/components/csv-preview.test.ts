import { describe, expect, it } from 'vitest';
import { csvPreview } from './csv-preview.js';

describe('csvPreview', () => {
  it('finds the delimiter, the columns and a mapping guess', () => {
    const preview = csvPreview('\uFEFFItem;Month;Units\n"A;1";2024-01-01;5\nB;2024-01-01;7\n');
    expect(preview.delimiter).toBe(';');
    expect(preview.columns).toEqual(['Item', 'Month', 'Units']);
    expect(preview.rows[0]).toEqual(['A;1', '2024-01-01', '5']);
    expect(preview.rowCount).toBe(2);
    expect(preview.guess).toEqual({ sku: 'Item', date: 'Month', quantity: 'Units' });
  });

  it('makes no guess when a column is not recognisable', () => {
    expect(csvPreview('a,b,c\n1,2,3').guess).toBeNull();
  });
});
