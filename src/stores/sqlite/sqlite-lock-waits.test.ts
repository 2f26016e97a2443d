import { describe, expect, it } from 'vitest';
import { longLockMs, lockWaits } from './sqlite-lock-waits.js';

/** Tries on a simulated clock: each wait handed out is slept before the next try. */
function simulate(commitsBetweenTries: (elapsedMs: number) => boolean, totalMs: number): number[] {
  let t = 0;
  let version = 1;
  const next = lockWaits(() => t, () => version);
  const waits: number[] = [];
  while (t < totalMs) {
    const w = next();
    waits.push(w);
    t += w;
    if (commitsBetweenTries(t)) version++;
  }
  return waits;
}

describe('lockWaits', () => {
  it('tries every 1-2 ms while other processes keep committing (the lock changes hands), however long that goes on', () => {
    const waits = simulate(() => true, 5_000);
    expect(waits[0]).toBe(1);
    expect(Math.max(...waits)).toBe(2);
  });

  it('backs off to 16 ms once no one has committed for a while (one transaction holds the lock for seconds)', () => {
    const waits = simulate(() => false, 5_000);
    expect(waits.slice(0, 3)).toEqual([1, 2, 2]);
    expect(waits.at(-1)).toBe(16);
    // At most ~ longLockMs / 2 tries at the short wait, then one every 16 ms: not 2,500 tries in 5 s.
    expect(waits.length).toBeLessThan(longLockMs / 2 + 5_000 / 16 + 5);
  });

  it('goes back to 2 ms as soon as a commit shows the lock changing hands again', () => {
    const waits = simulate((t) => t > 1_000, 1_100);
    const afterCommit = waits.findIndex((_, i) => waits.slice(0, i + 1).reduce((a, b) => a + b, 0) > 1_000) + 1;
    expect(waits[afterCommit - 1]).toBe(16);
    expect(waits.slice(afterCommit + 1)).toSatisfy((rest: number[]) => rest.every((w) => w === 2));
  });

  it('keeps trying often when it cannot read data_version', () => {
    let t = 0;
    const next = lockWaits(() => t, () => null);
    for (let i = 0; i < 1_000; i++) t += next();
    expect(next()).toBe(2);
  });
});
