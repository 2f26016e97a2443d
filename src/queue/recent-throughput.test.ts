import { describe, expect, it } from 'vitest';
import { throughputSpan } from './recent-throughput.js';

describe('throughputSpan', () => {
  it('is the time from the first start to the last completion, at least a second, null without completions', () => {
    expect(throughputSpan(0, 300_000, 10_000, 44_000)).toBe(34_000);
    expect(throughputSpan(0, 300_000, 10_000, 10_200)).toBe(1000);
    expect(throughputSpan(0, 300_000, null, null)).toBeNull();
  });

  it('changes continuously as the first start leaves the window', () => {
    // A run from 0 to 100 s, nothing since: at the window's edge and just past it, the same span.
    expect(throughputSpan(-1, 300_000, 0, 100_000)).toBe(100_000);
    expect(throughputSpan(1, 300_000, 0, 100_000)).toBe(99_999);
  });
});
