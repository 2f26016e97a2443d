import { describe, expect, it } from 'vitest';
import { csvHeaders, uploadLimitText } from './datasets-route-support.js';

describe('uploadLimitText', () => {
  it('says the limit as DATASET_UPLOAD_LIMIT_MB set it, a fraction of a MB included (was "0 MB" for 0.05)', () => {
    expect(uploadLimitText(Math.round(0.05 * 1048576))).toBe('0.05 MB');
    expect(uploadLimitText(1.5 * 1048576)).toBe('1.5 MB');
    expect(uploadLimitText(1024 * 1048576)).toBe('1024 MB');
    expect(uploadLimitText(12345 * 1048576)).toBe('12345 MB');
    // Tiny limits (tests, DATASET_UPLOAD_LIMIT_MB=0.000001) in bytes, not as 9.537e-7 MB.
    expect(uploadLimitText(1)).toBe('1 byte');
    expect(uploadLimitText(5000)).toBe('5000 bytes');
  });
});

describe('csvHeaders', () => {
  it("names the download by its real name too (filename*), where the ASCII fallback had to replace letters (was: 'Umsatz März' as Umsatz_M_rz)", () => {
    expect(csvHeaders('Umsatz März (Q1)-forecasts.csv')['content-disposition'])
      .toBe("attachment; filename=\"Umsatz_M_rz_Q1_-forecasts.csv\"; filename*=UTF-8''Umsatz%20M%C3%A4rz%20%28Q1%29-forecasts.csv");
    expect(csvHeaders('shop-forecasts.csv')['content-disposition']).toBe('attachment; filename="shop-forecasts.csv"');
    // A header cannot be split by a name: quotes and line ends are encoded, never written.
    expect(csvHeaders('a"\r\nb.csv')['content-disposition']).toBe("attachment; filename=\"a_b.csv\"; filename*=UTF-8''a%22%0D%0Ab.csv");
  });
});
