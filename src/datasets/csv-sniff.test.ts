import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './csv-sniff.js';

describe('detectDelimiter', () => {
  it('keeps the delimiter of a header above rows whose quoted SKU runs over two lines, whatever other values hold (csv-properties found ";" chosen)', () => {
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => `"a\nb"\t1900-${String(i + 1).padStart(2, '0')}-01\t${i}.5`),
      ...Array.from({ length: 12 }, (_, i) => `3;\t1901-${String(i + 1).padStart(2, '0')}-01\t${i}`),
    ];
    expect(detectDelimiter(['sku\tdate\tsales', ...rows].join('\n'))).toBe('\t');
  });

  it('finds the delimiter below a report title that has none', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `A;2024-${String(i + 1).padStart(2, '0')}-01;${i}`);
    expect(detectDelimiter(['Sales report Q4 2025', '', 'sku;date;qty', ...rows].join('\n'))).toBe(';');
  });
});
