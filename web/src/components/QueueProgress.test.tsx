// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../api/types.js';
import { runProgress } from '../hooks/run-progress.js';
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

  it('says what its percentage counts: the jobs of the current run, not every job ever queued', () => {
    // 70 jobs just queued over 635 finished ones: the API's progress reads 90%.
    const polled: JobSummary = { pending: 66, running: 4, completed: 635, failed: 0, cancelled: 0, isOptimizing: true, progress: 90.1, etaSeconds: null };
    const idle = runProgress({ ...polled, pending: 0, running: 0, isOptimizing: false, progress: 100 }, null);
    render(<QueueProgress summary={runProgress(polled, idle.before).shown} />);
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('0% of 70 jobs · estimating…');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
  });

  it('does not read 100% while jobs are left: two running of 4,720 (a killed worker\'s, waiting out their leases) read 99%', () => {
    const idle = runProgress({ ...justQueued, pending: 0, completed: 0, isOptimizing: false, progress: 0 }, null);
    const run = runProgress({ ...justQueued, pending: 0, running: 2, completed: 4718, progress: 99.9, etaSeconds: 1 }, idle.before);
    expect(run.shown.progress).toBe(99.9);
    render(<QueueProgress summary={run.shown} />);
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('99% of 4,720 jobs · 1s left');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('99');
  });

  it('says no worker is running, with how many jobs wait, when the API counts none alive: not an ETA nor "waiting to start"', () => {
    render(<QueueProgress summary={{ ...justQueued, pending: 1, running: 2, etaSeconds: 124, liveWorkers: 0 }} compact />);
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('98% · No worker is taking jobs: 3 jobs wait');
    cleanup();
    render(<QueueProgress summary={{ ...justQueued, pending: 1, running: 0, liveWorkers: 0 }} />);
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('98% · No worker is taking jobs: 1 job waits');
    cleanup();
    // Only stopping workers left: they finish what they run, the pending jobs wait for a worker.
    render(<QueueProgress summary={{ ...justQueued, pending: 4, running: 2, liveWorkers: 0, drainingWorkers: 1 }} compact />);
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('98% · Workers are stopping: 4 jobs wait for a worker');
    cleanup();
    // Nothing waiting: idle, whatever the workers.
    render(<QueueProgress summary={{ ...justQueued, pending: 0, isOptimizing: false, liveWorkers: 0 }} />);
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('Idle · all done');
  });
});
