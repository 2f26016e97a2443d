import { describe, expect, it } from 'vitest';
import { forecastSku } from '../forecasting/index.js';
import { PROGRESS_POST_MS, progressPoster } from './progress-poster.js';

/** A clock the test moves by hand. */
function manualClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('progressPoster', () => {
  it('posts nothing for a fit shorter than the interval', () => {
    const clock = manualClock();
    const posts: number[] = [];
    const report = progressPoster((p) => posts.push(p), clock.now);
    for (let k = 1; k <= 75; k++) { clock.advance(1); report(k / 75); }
    expect(posts).toEqual([]);
  });

  it('a long fit posts at most once per interval, whole percents, never the same twice', () => {
    const clock = manualClock();
    const posts: { at: number; p: number }[] = [];
    const report = progressPoster((p) => posts.push({ at: clock.now(), p }), clock.now);
    for (let k = 1; k <= 1000; k++) { clock.advance(10); report(k / 1000); } // 10 s in steps of 10 ms
    expect(posts.length).toBeGreaterThanOrEqual(45);
    expect(posts.length).toBeLessThanOrEqual(10_000 / PROGRESS_POST_MS);
    for (let i = 1; i < posts.length; i++) {
      expect(posts[i].at - posts[i - 1].at).toBeGreaterThanOrEqual(PROGRESS_POST_MS);
      expect(posts[i].p).toBeGreaterThan(posts[i - 1].p);
    }
    expect(posts.every((x) => Number.isInteger(x.p) && x.p >= 0 && x.p <= 100)).toBe(true);
  });

  it('a real grid fit whose candidates take 50 ms each reaches the poster', () => {
    const clock = manualClock();
    const posts: number[] = [];
    const report = progressPoster((p) => posts.push(p), clock.now);
    const values = Array.from({ length: 36 }, (_, t) => 100 + t + 10 * Math.sin((2 * Math.PI * t) / 12));
    forecastSku({
      sku: 'S', values, frequency: 'monthly', modelId: 'damped_trend', method: 'grid',
      settings: { horizon: 6, holdout: 6, metric: 'mae', intervalLevels: [80] },
    }, (fraction) => { clock.advance(50); report(fraction); });
    expect(posts.length).toBeGreaterThan(3);
    expect(posts[posts.length - 1]).toBeGreaterThan(50);
  });
});
