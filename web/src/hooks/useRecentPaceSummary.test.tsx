// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../api/types.js';
import { useRecentPaceSummary } from './useRecentPaceSummary.js';

const empty: JobSummary = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, isOptimizing: false, progress: 0, etaSeconds: null };

describe('useRecentPaceSummary', () => {
  it('opened mid-run, the empty summary before the first poll is no idle queue: the run counts from the first real poll', () => {
    const busy: JobSummary = { ...empty, pending: 1000, completed: 30, isOptimizing: true, progress: 2.9 };
    const { result, rerender } = renderHook(({ summary, loaded }) => useRecentPaceSummary(summary, loaded), { initialProps: { summary: empty, loaded: false } });
    rerender({ summary: busy, loaded: true });
    expect([result.current.progress, result.current.runJobs]).toEqual([0, 1000]);
  });

  it('after an idle poll, the jobs queued next are the run', () => {
    const { result, rerender } = renderHook(({ summary }) => useRecentPaceSummary(summary, true), { initialProps: { summary: { ...empty, completed: 635, progress: 100 } } });
    rerender({ summary: { ...empty, pending: 70, completed: 635, isOptimizing: true, progress: 90.1 } });
    expect([result.current.progress, result.current.runJobs]).toEqual([0, 70]);
  });
});
