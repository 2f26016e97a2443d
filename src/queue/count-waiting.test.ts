import { describe, expect, it } from 'vitest';
import { countWaiting } from './count-waiting.js';
import type { ActiveJob } from './settler.js';

const held = (state: Partial<Pick<ActiveJob, 'waiting' | 'letGo' | 'finishing'>>): ActiveJob =>
  ({ waiting: false, letGo: false, finishing: false, ...state }) as ActiveJob;

describe('countWaiting', () => {
  it('counts the held jobs whose run has not started', () => {
    expect(countWaiting([held({ waiting: true }), held({ waiting: true }), held({ waiting: false })])).toBe(2);
  });

  it('leaves out a job let go (cancelled, fenced, released) before it started: no longer ours', () => {
    expect(countWaiting([held({ waiting: true, letGo: true }), held({ waiting: true })])).toBe(1);
  });

  it('leaves out a job finishing before it started (an input error: its fail is being written)', () => {
    expect(countWaiting([held({ waiting: true, finishing: true }), held({ waiting: true })])).toBe(1);
  });

  it('counts nothing for a handler that does not queue its runs (never waiting)', () => {
    expect(countWaiting([held({}), held({ finishing: true })])).toBe(0);
  });
});
