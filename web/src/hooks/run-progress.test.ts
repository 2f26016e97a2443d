import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../api/types.js';
import { runProgress } from './run-progress.js';

const summary = (s: Partial<JobSummary>): JobSummary => ({ pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, isOptimizing: false, progress: 100, etaSeconds: 0, ...s });

describe('runProgress', () => {
  it('a 70-job upload on top of 635 finished jobs starts at 0% of 70 jobs, not the API\'s 90%', () => {
    const idle = runProgress(summary({ completed: 635 }), null);
    expect(idle.shown.runJobs).toBeUndefined();
    const started = runProgress(summary({ pending: 66, running: 4, completed: 635, isOptimizing: true, progress: (100 * 635) / 705 }), idle.before);
    expect([started.shown.progress, started.shown.runJobs]).toEqual([0, 70]);
    // 35 of them done, 2 running at half: (35 + 1) / 70.
    const halfway = runProgress(summary({ pending: 33, running: 2, completed: 670, isOptimizing: true, progress: (100 * 671) / 705 }), started.before);
    expect([halfway.shown.progress, halfway.shown.runJobs]).toEqual([51.4, 70]);
    // Over 50,000 finished jobs the API's rounded progress says nothing of a 70-job run: no drift from it.
    const big = runProgress(summary({ completed: 50_000 }), null);
    const bigRun = runProgress(summary({ pending: 70, completed: 50_000, isOptimizing: true, progress: 99.9 }), big.before);
    expect([bigRun.shown.progress, bigRun.shown.runJobs]).toEqual([0, 70]);
    // Another upload while it runs joins the run.
    const more = runProgress(summary({ pending: 103, running: 2, completed: 670, isOptimizing: true, progress: (100 * 671) / 775 }), halfway.before);
    expect(more.shown.runJobs).toBe(140);
  });

  it('opened mid-run it counts from its first poll, and restarts when jobs are deleted', () => {
    const first = runProgress(summary({ pending: 10, completed: 90, isOptimizing: true, progress: 90 }), null);
    expect([first.shown.progress, first.shown.runJobs]).toEqual([0, 10]);
    const cleared = runProgress(summary({ pending: 5, completed: 5, isOptimizing: true, progress: 50 }), first.before);
    expect([cleared.shown.progress, cleared.shown.runJobs]).toEqual([0, 5]);
  });
});
