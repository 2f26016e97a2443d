import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../api/types.js';
import { addSample, etaFromSamples, workOf, type PaceSample } from './recent-pace-eta.js';

function summaryAt(done: number, total: number): JobSummary {
  const completed = Math.floor(done);
  return { pending: total - completed - 1, running: 1, completed, failed: 0, cancelled: 0, isOptimizing: true, progress: (100 * done) / total, etaSeconds: 3400 };
}

describe('the ETA from the recent pace', () => {
  it('follows a 34 s run of 1,000 jobs: about 30 s left near its start and 2 s left near its end, not minutes', () => {
    // ~29.4 jobs a second, polled every 2 s.
    let samples: PaceSample[] = [];
    const etas = new Map<number, number | null>();
    for (let t = 0; t <= 32; t += 2) {
      const s = summaryAt(Math.min(1000, (1000 * t) / 34), 1000);
      samples = addSample(samples, { at: t * 1000, done: workOf(s).done });
      etas.set(t, etaFromSamples(samples, workOf(s).left));
    }
    expect(etas.get(0)).toBeNull(); // one sample: estimating
    // 30 s and 2 s left, give or take the rounding up
    expect(Math.abs(etas.get(4)! - 30)).toBeLessThanOrEqual(1);
    expect(Math.abs(etas.get(32)! - 2)).toBeLessThanOrEqual(1);
  });

  it('measures only the last 30 s, so a pace that changed is followed', () => {
    let samples: PaceSample[] = [];
    // 1 job/s for a minute, then 10 jobs/s
    for (let t = 0; t <= 60; t += 2) samples = addSample(samples, { at: t * 1000, done: t });
    for (let t = 62; t <= 92; t += 2) samples = addSample(samples, { at: t * 1000, done: 60 + (t - 60) * 10 });
    expect(etaFromSamples(samples, 100)).toBe(10);
  });

  it('starts afresh when work done goes down (jobs deleted), and is 0 with nothing left', () => {
    let samples: PaceSample[] = [{ at: 0, done: 50 }, { at: 10_000, done: 100 }];
    samples = addSample(samples, { at: 12_000, done: 0 });
    expect(samples).toEqual([{ at: 12_000, done: 0 }]);
    expect(etaFromSamples(samples, 10)).toBeNull();
    expect(etaFromSamples(samples, 0)).toBe(0);
  });

  it('is unknown while nothing moves (a stalled queue), not infinite', () => {
    const samples = [{ at: 0, done: 10 }, { at: 20_000, done: 10 }];
    expect(etaFromSamples(samples, 5)).toBeNull();
  });
});
