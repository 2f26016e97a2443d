// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../api/types.js';
import { QueueProgress } from './QueueProgress.js';

afterEach(cleanup);

// Just after an edit or an upload the poll sees the new jobs pending before the worker claims them.
const justQueued: JobSummary = { pending: 5, running: 0, completed: 290, failed: 0, cancelled: 0, isOptimizing: true, progress: 98, etaSeconds: null };

describe('QueueProgress', () => {
  it('jobs pending and none running yet read as waiting, not as "no worker": the summary cannot know whether a worker is up', () => {
    render(<QueueProgress summary={justQueued} compact />);
    const label = screen.getByTestId('queue-progress-label').textContent;
    expect(label).not.toMatch(/no worker/);
    expect(label).toBe('98% · waiting to start');
  });
});
