import { describe, expect, it } from 'vitest';
import { uploadLimitText } from './datasets-route-support.js';

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
