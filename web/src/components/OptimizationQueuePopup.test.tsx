// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job, JobStatus, JobStatusQuery, JobStatusResponse, JobSummary } from '../api/types.js';
import { OptimizationQueuePopup } from './OptimizationQueuePopup.js';
import { QueueBadge } from './QueueBadge.js';

let nextId = 1;
function job(status: JobStatus, sku: string, extra: Partial<Job> = {}): Job {
  return {
    id: nextId++,
    batchId: 'b',
    datasetId: 'd',
    sku,
    modelId: 'ets',
    method: 'grid',
    reason: 'dataset_upload',
    priority: 3,
    status,
    progress: status === 'running' ? 55 : status === 'completed' ? 100 : 0,
    attempts: status === 'pending' ? 0 : 1,
    maxAttempts: 3,
    error: status === 'failed' ? 'series too short' : null,
    createdAt: 1,
    updatedAt: 1,
    startedAt: null,
    finishedAt: null,
    workerId: null,
    ...extra,
  };
}

const emptySummary: JobSummary = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, isOptimizing: false, progress: 0, etaSeconds: null };
const summary: JobSummary = { pending: 2, running: 1, completed: 1, failed: 1, cancelled: 0, isOptimizing: true, progress: 40, etaSeconds: 90 };

function setup(jobs: Job[], loadPage = vi.fn(async (_q: JobStatusQuery): Promise<JobStatusResponse> => ({ total: 0, summary, jobs: [], nextCursor: null }))) {
  const actions = {
    onCancel: vi.fn(),
    onRetry: vi.fn(),
    onRetryAllFailed: vi.fn(),
    onClearCompleted: vi.fn(),
    onReset: vi.fn(),
    onCancelActive: vi.fn(),
    onReload: vi.fn(),
    onClose: vi.fn(),
  };
  render(
    <OptimizationQueuePopup jobs={jobs} summary={summary} total={jobs.length} nextCursor={null} datasetCount={3} loadPage={loadPage} {...actions} />,
  );
  return { actions, loadPage };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('OptimizationQueuePopup', () => {
  it('lists running jobs first with SKU, model, reason, priority, attempts and error', () => {
    // Deliberately out of order: the popup must still put running first.
    const jobs = [job('pending', 'SKU-P1'), job('failed', 'SKU-F'), job('running', 'SKU-R', { reason: 'manual_edit_data_cleaning', priority: 1 }), job('completed', 'SKU-C')];
    setup(jobs);
    const rows = screen.getAllByTestId('job-row');
    expect(rows.map((r) => r.dataset.status)).toEqual(['running', 'pending', 'failed', 'completed']);
    expect(within(rows[0]).getByText('SKU-R')).toBeTruthy();
    expect(within(rows[0]).getByText(/manual edit data cleaning/)).toBeTruthy();
    expect(within(rows[0]).getByText('P1')).toBeTruthy();
    expect(within(rows[0]).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('55');
    expect(within(rows[2]).getByText('series too short')).toBeTruthy();
    expect(within(rows[2]).getByText('1/3')).toBeTruthy();
    expect(screen.getByTestId('queue-progress-label').textContent).toMatch(/40% · 2m left/);
  });

  it('calls cancel on pending/running jobs and retry on failed ones', () => {
    const running = job('running', 'A');
    const failed = job('failed', 'B');
    const { actions } = setup([running, failed]);
    fireEvent.click(screen.getByRole('button', { name: `Cancel job ${running.id} (A ets)` }));
    expect(actions.onCancel).toHaveBeenCalledWith(running.id);
    fireEvent.click(screen.getByRole('button', { name: `Retry job ${failed.id} (B ets)` }));
    expect(actions.onRetry).toHaveBeenCalledWith(failed.id);
    expect(screen.queryByRole('button', { name: `Retry job ${running.id} (A ets)` })).toBeNull();
  });

  it('retries all failed, clears completed, and resets only after confirmation', () => {
    const { actions } = setup([job('failed', 'A'), job('completed', 'B')]);
    fireEvent.click(screen.getByRole('button', { name: 'Retry all failed' }));
    expect(actions.onRetryAllFailed).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Clear completed' }));
    expect(actions.onClearCompleted).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Reset queue…' }));
    expect(actions.onReset).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Keep the queue' }));
    expect(actions.onReset).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Reset queue…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete every forecast' }));
    expect(actions.onReset).toHaveBeenCalledTimes(1);
  });

  it('says plainly that a reset loses every forecast of every dataset, and offers to cancel instead', () => {
    const { actions } = setup([job('running', 'A'), job('pending', 'B'), job('completed', 'C')]);
    fireEvent.click(screen.getByRole('button', { name: 'Reset queue…' }));
    const confirm = screen.getByRole('alertdialog');
    expect(confirm.textContent).toMatch(/every forecast of every dataset/);
    // 3 jobs in the list, 2 + 1 pending or running in the summary, 3 datasets
    expect(confirm.textContent).toMatch(/All 3 jobs are deleted \(3 pending or running cancelled first\)/);
    expect(confirm.textContent).toMatch(/forecasts of all 3 datasets/);
    // The safe answer has the focus: Enter on a reflex keeps everything.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Keep the queue' }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Only cancel pending and running' }));
    expect(actions.onCancelActive).toHaveBeenCalledTimes(1);
    expect(actions.onReset).not.toHaveBeenCalled();
  });

  it('before the first status poll answers, the reset confirmation states no count and waits for the counts to confirm (was: "All 0 jobs are deleted (0 pending or running cancelled first)")', () => {
    const actions = { onCancel: vi.fn(), onRetry: vi.fn(), onRetryAllFailed: vi.fn(), onClearCompleted: vi.fn(), onReset: vi.fn(), onCancelActive: vi.fn(), onReload: vi.fn(), onClose: vi.fn() };
    const jobs = [job('running', 'A'), job('pending', 'B'), job('completed', 'C')];
    const popup = (loaded: boolean, loadError: string | null = null) =>
      loaded ? (
        <OptimizationQueuePopup jobs={jobs} summary={summary} total={3} nextCursor={null} loaded datasetCount={2} loadPage={vi.fn()} {...actions} />
      ) : (
        <OptimizationQueuePopup jobs={[]} summary={emptySummary} total={0} nextCursor={null} loaded={false} loadError={loadError} datasetCount={2} loadPage={vi.fn()} {...actions} />
      );
    const { rerender } = render(popup(false));
    fireEvent.click(screen.getByRole('button', { name: 'Reset queue…' }));
    const confirm = screen.getByRole('alertdialog');
    expect(confirm.textContent).not.toMatch(/\b0 (jobs|pending)/);
    expect(screen.getByTestId('reset-counts').textContent).toBe('Every job is deleted: how many is still loading.');
    expect(confirm.textContent).toMatch(/forecasts of all 2 datasets/);
    const yes = within(confirm).getByRole('button', { name: 'Yes, delete every forecast' }) as HTMLButtonElement;
    const cancelActive = within(confirm).getByRole('button', { name: 'Only cancel pending and running' }) as HTMLButtonElement;
    expect(yes.disabled).toBe(true);
    expect(cancelActive.disabled).toBe(true);
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Keep the queue' }));
    // The first poll failed: still no count, and why.
    rerender(popup(false, 'the API answered 503'));
    expect(screen.getByTestId('reset-counts').textContent).toBe('Every job is deleted: how many, the queue could not say (the API answered 503).');
    expect(yes.disabled).toBe(true);
    // The counts arrive: said in the live region, and the confirmation can be given.
    rerender(popup(true));
    expect(screen.getByTestId('reset-counts').getAttribute('aria-live')).toBe('polite');
    expect(screen.getByTestId('reset-counts').textContent).toBe('All 3 jobs are deleted (3 pending or running cancelled first).');
    expect(yes.disabled).toBe(false);
    expect(cancelActive.disabled).toBe(false);
    fireEvent.click(yes);
    expect(actions.onReset).toHaveBeenCalledTimes(1);
  });

  it('filters by status and by SKU through loadPage, not by polling', async () => {
    vi.useFakeTimers();
    const failedB = job('failed', 'SKU-B');
    const loadPage = vi.fn(async (q: JobStatusQuery): Promise<JobStatusResponse> => {
      const jobs = q.status?.[0] === 'failed' ? [failedB] : [];
      return { total: jobs.length, summary, jobs, nextCursor: null };
    });
    setup([job('running', 'SKU-A'), failedB], loadPage);
    expect(loadPage).not.toHaveBeenCalled();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /^failed \(1\)/ }));
    });
    expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ status: ['failed'] }));
    expect(screen.getAllByTestId('job-row').map((r) => r.dataset.status)).toEqual(['failed']);

    fireEvent.change(screen.getByLabelText('Filter by SKU'), { target: { value: 'SKU-Z' } });
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ status: ['failed'], sku: 'SKU-Z' }));
  });

  it('asks for the next page by cursor when the list is scrolled to its end', async () => {
    const first = [job('running', 'A'), job('pending', 'B')];
    const loadPage = vi.fn(async (q: JobStatusQuery): Promise<JobStatusResponse> => ({
      total: 3,
      summary,
      jobs: q.cursor === 'c1' ? [job('completed', 'C')] : [],
      nextCursor: null,
    }));
    const actions = { onCancel: vi.fn(), onRetry: vi.fn(), onRetryAllFailed: vi.fn(), onClearCompleted: vi.fn(), onReset: vi.fn(), onCancelActive: vi.fn(), onReload: vi.fn(), onClose: vi.fn() };
    await act(async () => {
      render(<OptimizationQueuePopup jobs={first} summary={summary} total={3} nextCursor="c1" loadPage={loadPage} {...actions} />);
    });
    expect(loadPage).toHaveBeenCalledWith(expect.objectContaining({ cursor: 'c1' }));
    // the SKU cell itself (a 'C' anywhere in a row would match the Cancel button)
    expect(screen.getAllByTestId('job-row').map((r) => r.querySelector('.job-sku')?.textContent)).toContain('C');
    expect(screen.getAllByTestId('job-row')).toHaveLength(3);
  });

  it('a filtered page that failed says "Could not load jobs" with a Retry that asks for that page again', async () => {
    let fail = true;
    const loadPage = vi.fn(async (_q: JobStatusQuery): Promise<JobStatusResponse> => {
      if (fail) throw new Error('the API answered 503');
      return { total: 1, summary, jobs: [job('failed', 'F1')], nextCursor: null };
    });
    setup([job('running', 'A')], loadPage);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /^failed \(/ }));
    });
    expect(screen.getByRole('alert').textContent).toMatch(/^Could not load jobs: the API answered 503/);
    fail = false;
    await act(async () => {
      fireEvent.click(within(screen.getByTestId('load-error')).getByRole('button', { name: 'Retry' }));
    });
    expect(loadPage).toHaveBeenCalledTimes(2);
    expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ status: ['failed'] }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByTestId('job-row').map((r) => r.querySelector('.job-sku')?.textContent)).toEqual(['F1']);
  });

  describe('before the first status poll answers (loaded false)', () => {
    const actions = () => ({ onCancel: vi.fn(), onRetry: vi.fn(), onRetryAllFailed: vi.fn(), onClearCompleted: vi.fn(), onReset: vi.fn(), onCancelActive: vi.fn(), onReload: vi.fn(), onClose: vi.fn() });
    const empty = vi.fn(async (_q: JobStatusQuery): Promise<JobStatusResponse> => ({ total: 0, summary, jobs: [], nextCursor: null }));

    it('says loading while the poll is pending, and why it failed when it did, not "Loading jobs…" for ever', async () => {
      let view!: ReturnType<typeof render>;
      await act(async () => {
        view = render(<OptimizationQueuePopup jobs={[]} summary={summary} total={0} nextCursor={null} loaded={false} loadError={null} loadPage={empty} {...actions()} />);
      });
      expect(screen.getByText('Loading jobs…')).toBeTruthy();
      await act(async () => {
        view.rerender(<OptimizationQueuePopup jobs={[]} summary={summary} total={0} nextCursor={null} loaded={false} loadError="API unreachable" loadPage={empty} {...actions()} />);
      });
      expect(screen.getByRole('alert').textContent).toMatch(/^Could not load jobs: API unreachable/);
      expect(screen.queryByText('Loading jobs…')).toBeNull();
    });

    it('a failed first poll\'s "Could not load jobs" has a Retry that polls again (onReload)', async () => {
      const given = actions();
      await act(async () => {
        render(<OptimizationQueuePopup jobs={[]} summary={emptySummary} total={0} nextCursor={null} loaded={false} loadError="API unreachable" loadPage={empty} {...given} />);
      });
      fireEvent.click(within(screen.getByTestId('load-error')).getByRole('button', { name: 'Retry' }));
      expect(given.onReload).toHaveBeenCalledTimes(1);
    });

    it('shows placeholders, not "All (0)", "pending (0)", "0 of 0 shown" and "Idle", until the first answer', async () => {
      let view!: ReturnType<typeof render>;
      await act(async () => {
        view = render(<OptimizationQueuePopup jobs={[]} summary={emptySummary} total={0} nextCursor={null} loaded={false} loadError={null} loadPage={empty} {...actions()} />);
      });
      const dialog = screen.getByRole('dialog');
      // (jsdom's accessible name puts spaces around the placeholder's spans; a browser does not)
      expect(screen.getByRole('button', { name: /^All \(\s*loading\s*\)$/ })).toBeTruthy();
      expect(screen.getByRole('button', { name: /^pending \(\s*loading\s*\)$/ })).toBeTruthy();
      expect(dialog.textContent).not.toMatch(/\(0\)|0 of 0 shown|Idle/);
      expect(screen.getByTestId('queue-progress-label').textContent).toBe('…loading');
      expect(screen.getByRole('progressbar', { name: 'Overall optimization progress' }).getAttribute('aria-valuenow')).toBeNull();
      // The first answer brings the counts.
      await act(async () => {
        view.rerender(<OptimizationQueuePopup jobs={[]} summary={emptySummary} total={0} nextCursor={null} loaded loadError={null} loadPage={empty} {...actions()} />);
      });
      expect(screen.getByRole('button', { name: 'All (0)' })).toBeTruthy();
      expect(screen.getByRole('button', { name: 'pending (0)' })).toBeTruthy();
      expect(dialog.textContent).toContain('0 of 0 shown');
      expect(screen.getByTestId('queue-progress-label').textContent).toBe('Idle');
      expect(screen.queryByTestId('queue-unknown')).toBeNull();
    });

    it('says "unavailable", not "loading" for ever, in its counts and progress once the first poll failed; its Retry says "Retrying…" while the next poll is asked', async () => {
      const given = actions();
      const popup = (loadRetrying: boolean) => (
        <OptimizationQueuePopup jobs={[]} summary={emptySummary} total={0} nextCursor={null} loaded={false} loadError="the API answered 500" loadRetrying={loadRetrying} loadPage={empty} {...given} />
      );
      let view!: ReturnType<typeof render>;
      await act(async () => {
        view = render(popup(false));
      });
      const dialog = screen.getByRole('dialog');
      expect(screen.getByRole('button', { name: /^All \(\s*unavailable\s*\)$/ })).toBeTruthy();
      expect(screen.getByRole('button', { name: /^pending \(\s*unavailable\s*\)$/ })).toBeTruthy();
      expect(screen.getByTestId('queue-progress-label').textContent).toBe('unavailable');
      expect(screen.getByTestId('queue-progress-label').getAttribute('title')).toBe('The queue could not be read: the API answered 500');
      expect(dialog.textContent).not.toMatch(/loading/);
      const retry = within(screen.getByTestId('load-error')).getByRole('button', { name: 'Retry' });
      fireEvent.click(retry);
      expect(given.onReload).toHaveBeenCalledTimes(1);
      await act(async () => {
        view.rerender(popup(true));
      });
      expect(retry.textContent).toBe('Retrying…');
      expect(retry.getAttribute('aria-disabled')).toBe('true');
    });

    it('does not mask a filtered view\'s "No jobs match."', async () => {
      await act(async () => {
        render(<OptimizationQueuePopup jobs={[]} summary={summary} total={0} nextCursor={null} loaded={false} loadError={null} loadPage={empty} {...actions()} />);
      });
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: /^failed \(/ }));
      });
      expect(empty).toHaveBeenLastCalledWith(expect.objectContaining({ status: ['failed'] }));
      expect(screen.getByText('No jobs match.')).toBeTruthy();
    });

    it('does not stop a filtered view loading its next page', async () => {
      const loadPage = vi.fn(async (q: JobStatusQuery): Promise<JobStatusResponse> => (q.cursor === 'f1'
        ? { total: 2, summary, jobs: [job('failed', 'F2')], nextCursor: null }
        : { total: 2, summary, jobs: [job('failed', 'F1')], nextCursor: 'f1' }));
      await act(async () => {
        render(<OptimizationQueuePopup jobs={[]} summary={summary} total={0} nextCursor={null} loaded={false} loadError={null} loadPage={loadPage} {...actions()} />);
      });
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: /^failed \(/ }));
      });
      expect(loadPage).toHaveBeenCalledWith(expect.objectContaining({ cursor: 'f1' }));
      expect(screen.getAllByTestId('job-row')).toHaveLength(2);
    });
  });

  it('drops the pages loaded beyond the first when jobs leave the queue (e.g. cleared), so it never shows more than the total', async () => {
    const first = [job('running', 'A'), job('pending', 'B')];
    const loadPage = vi.fn(async (q: JobStatusQuery): Promise<JobStatusResponse> => ({
      total: 3, summary, jobs: q.cursor === 'c1' ? [job('completed', 'C')] : [], nextCursor: null,
    }));
    const actions = { onCancel: vi.fn(), onRetry: vi.fn(), onRetryAllFailed: vi.fn(), onClearCompleted: vi.fn(), onReset: vi.fn(), onCancelActive: vi.fn(), onReload: vi.fn(), onClose: vi.fn() };
    let view!: ReturnType<typeof render>;
    await act(async () => {
      view = render(<OptimizationQueuePopup jobs={first} summary={summary} total={3} nextCursor="c1" loadPage={loadPage} {...actions} />);
    });
    expect(screen.getAllByTestId('job-row')).toHaveLength(3);
    // The next poll after "Clear completed": C is gone and the total is 2.
    await act(async () => {
      view.rerender(<OptimizationQueuePopup jobs={first} summary={summary} total={2} nextCursor={null} loadPage={loadPage} {...actions} />);
    });
    expect(screen.getAllByTestId('job-row').map((r) => r.querySelector('.job-sku')?.textContent)).toEqual(['A', 'B']);
  });

  it.each(['Keep the queue', 'Yes, delete every forecast', 'Only cancel pending and running'])(
    'after "%s" focus is back in the dialog, and Escape closes it',
    (answer) => {
      const { actions } = setup([job('running', 'A')]);
      const reset = screen.getByRole('button', { name: 'Reset queue…' });
      fireEvent.click(reset);
      fireEvent.click(screen.getByRole('button', { name: answer }));
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(document.activeElement).toBe(reset);
      fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
      expect(actions.onClose).toHaveBeenCalledTimes(1);
    },
  );

  it('Escape closes the confirmation first, then the dialog', () => {
    const { actions } = setup([job('running', 'A')]);
    fireEvent.click(screen.getByRole('button', { name: 'Reset queue…' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(actions.onClose).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Reset queue…' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(actions.onClose).toHaveBeenCalledTimes(1);
  });

  it('hears Escape when the focused button vanished and focus fell to <body>, and takes focus back', () => {
    const { actions } = setup([job('running', 'A')]);
    (document.activeElement as HTMLElement).blur();
    expect(document.activeElement).toBe(document.body);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(actions.onClose).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true);
  });

  it('closes on Escape', () => {
    const { actions } = setup([job('running', 'A')]);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(actions.onClose).toHaveBeenCalled();
  });

  it('is a modal dialog: focus moves in, Tab and Shift+Tab stay inside, and focus returns to the opener', async () => {
    const loadPage = vi.fn(async (): Promise<JobStatusResponse> => ({ total: 0, summary, jobs: [], nextCursor: null }));
    const actions = { onCancel: vi.fn(), onRetry: vi.fn(), onRetryAllFailed: vi.fn(), onClearCompleted: vi.fn(), onReset: vi.fn(), onCancelActive: vi.fn(), onReload: vi.fn() };
    const jobs = [job('running', 'A'), job('failed', 'B')];
    function Page() {
      const [open, setOpen] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Open queue
          </button>
          <button type="button">Elsewhere</button>
          {open ? <OptimizationQueuePopup jobs={jobs} summary={summary} total={2} nextCursor={null} loadPage={loadPage} onClose={() => setOpen(false)} {...actions} /> : null}
        </>
      );
    }
    render(<Page />);
    const opener = screen.getByRole('button', { name: 'Open queue' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(dialog);

    const inside = [...dialog.querySelectorAll<HTMLElement>('button:not([disabled]), input')];
    const first = inside[0];
    const last = inside[inside.length - 1];
    expect(first.getAttribute('aria-label')).toBe('Close the queue');
    // Tab on the last control wraps to the first; Shift+Tab on the first wraps to the last.
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    // In the middle the browser moves focus itself: the trap does not interfere.
    const middle = screen.getByLabelText('Filter by SKU');
    middle.focus();
    expect(fireEvent.keyDown(middle, { key: 'Tab' })).toBe(true);
    // Focus that escapes to the page beneath (a click there) is brought back.
    screen.getByRole('button', { name: 'Elsewhere' }).focus();
    expect(dialog.contains(document.activeElement)).toBe(true);

    fireEvent.keyDown(middle, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('the SKU filter says it takes the whole name: "SKU-1007" finds no job of "SKU-1007 Orange Juice 1L"', async () => {
    vi.useFakeTimers();
    const loadPage = vi.fn(async (_q: JobStatusQuery): Promise<JobStatusResponse> => ({ total: 0, summary, jobs: [], nextCursor: null }));
    setup([job('completed', 'SKU-1007 Orange Juice 1L')], loadPage);
    const input = screen.getByLabelText('Filter by SKU');
    expect(input.getAttribute('placeholder')).toMatch(/exact/i);
    fireEvent.change(input, { target: { value: 'SKU-1007' } });
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ sku: 'SKU-1007' }));
    expect(screen.getByText(/No job of the SKU “SKU-1007”/).textContent).toMatch(/whole name/);
  });

  it('tells jobs fitting on a thread from jobs a worker claimed that are not fitting yet (reading input, or prefetched and waiting for a thread)', () => {
    // 2 threads, prefetch 2: four jobs running in the store, two of them not fitting yet (GET /api/jobs/status).
    const prefetched: JobSummary = { ...summary, pending: 6, running: 4, waitingForThread: 2 };
    const jobs = [job('running', 'R1', { startedAt: 1 }), job('running', 'R2', { startedAt: 2 }), job('running', 'R3', { progress: 0, startedAt: 3 }), job('running', 'R4', { progress: 0, startedAt: 4 })];
    render(<OptimizationQueuePopup jobs={jobs} summary={prefetched} total={4} nextCursor={null} loadPage={vi.fn()}
      onCancel={vi.fn()} onRetry={vi.fn()} onRetryAllFailed={vi.fn()} onClearCompleted={vi.fn()} onReset={vi.fn()} onCancelActive={vi.fn()} onReload={vi.fn()} onClose={vi.fn()} />);
    // Was "4 running" alone, on 2 threads.
    // Was "2 running, 2 claimed" beside the filter's "Running (4)", and all four rows RUNNING (the claimed ones at 0%).
    expect(screen.getByTestId('queue-running-split').textContent).toBe('Running 4: 2 fitting, 2 claimed (not fitting yet)');
    expect(screen.getByRole('button', { name: /^running \(4\)/ })).toBeTruthy(); // the filter lists all four
    const chips = screen.getAllByTestId('job-row').map((row) => [within(row).getByText(/^R\d$/).textContent, row.querySelector('.status-chip')!.textContent]);
    expect(chips).toEqual([['R1', 'running'], ['R2', 'running'], ['R3', 'claimed'], ['R4', 'claimed']]);
    cleanup();
    render(<QueueBadge summary={prefetched} onOpen={vi.fn()} />);
    expect(screen.getByTestId('queue-badge').textContent).toMatch(/2 running2 claimed6 pending/);
    expect(screen.getByTitle('Claimed by a worker, not fitting yet (reading its input or waiting for a thread)').textContent).toBe('2 claimed');
  });

  it('scopes to the selected dataset: the heading names it, rows, tabs and pages are that dataset\'s, and "All datasets" adds a Dataset column', async () => {
    const names = new Map([['ds-a', 'Sample A'], ['ds-b', 'Sample B']]);
    const a = [job('running', 'A1', { datasetId: 'ds-a' }), job('pending', 'A2', { datasetId: 'ds-a' })];
    const b = [job('completed', 'B1', { datasetId: 'ds-b' })];
    const aSummary: JobSummary = { ...emptySummary, running: 1, pending: 1, isOptimizing: true, progress: 30 };
    const allSummary: JobSummary = { ...aSummary, completed: 1 };
    const loadPage = vi.fn(async (_q: JobStatusQuery): Promise<JobStatusResponse> => ({ total: 1, summary: aSummary, jobs: [a[1]], nextCursor: null }));
    function Harness() {
      // As ForecastPage: the dataset's poll, or the whole queue's.
      const [all, setAll] = useState(false);
      return (
        <OptimizationQueuePopup jobs={all ? [...a, ...b] : a} summary={all ? allSummary : aSummary} total={all ? 3 : 2} nextCursor={null} loadPage={loadPage}
          scope={{ datasetId: 'ds-a', name: 'Sample A', all, onChange: setAll }} datasetNames={names}
          onCancel={vi.fn()} onRetry={vi.fn()} onRetryAllFailed={vi.fn()} onClearCompleted={vi.fn()} onReset={vi.fn()} onCancelActive={vi.fn()} onReload={vi.fn()} onClose={vi.fn()} />
      );
    }
    render(<Harness />);
    expect(screen.getByRole('dialog', { name: 'Queue · Sample A' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'All (2)' })).toBeTruthy();
    expect(screen.getAllByTestId('job-row')).toHaveLength(2);
    expect(screen.queryByRole('columnheader', { name: 'Dataset' })).toBeNull(); // one dataset: no column
    fireEvent.click(screen.getByRole('button', { name: /^pending/ }));
    await act(async () => {});
    expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ status: ['pending'], datasetId: 'ds-a' }));
    fireEvent.click(screen.getByRole('button', { name: /^All/ }));

    fireEvent.click(screen.getByRole('checkbox', { name: 'All datasets' }));
    expect(screen.getByRole('dialog', { name: 'Queue · all datasets' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'All (3)' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Dataset' })).toBeTruthy();
    const rows = screen.getAllByTestId('job-row');
    expect(rows.map((r) => within(r).getByText(/^Sample [AB]$/).textContent)).toEqual(['Sample A', 'Sample A', 'Sample B']);
    fireEvent.click(screen.getByRole('button', { name: /^completed/ }));
    await act(async () => {});
    expect(loadPage).toHaveBeenLastCalledWith(expect.not.objectContaining({ datasetId: expect.anything() }));
  });

  it('marks a dataset\'s claimed jobs from the whole queue\'s count (its own summary says null for a dataset\'s view)', () => {
    const fitting = job('running', 'A1', { datasetId: 'ds-a', progress: 0, startedAt: 1 });
    const waitingA = job('running', 'A2', { datasetId: 'ds-a', progress: 0, startedAt: 2 });
    const waitingB = job('running', 'B1', { datasetId: 'ds-b', progress: 0, startedAt: 3 });
    const scoped: JobSummary = { ...emptySummary, running: 2, isOptimizing: true, waitingForThread: null };
    render(<OptimizationQueuePopup jobs={[fitting, waitingA]} summary={scoped} total={2} nextCursor={null} loadPage={vi.fn()}
      scope={{ datasetId: 'ds-a', name: 'Sample A', all: false, onChange: vi.fn() }}
      wholeQueue={{ jobs: [fitting, waitingA, waitingB], summary: { ...scoped, running: 3, waitingForThread: 2 } }}
      onCancel={vi.fn()} onRetry={vi.fn()} onRetryAllFailed={vi.fn()} onClearCompleted={vi.fn()} onReset={vi.fn()} onCancelActive={vi.fn()} onReload={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByTestId('queue-running-split').textContent).toBe('Running 2: 1 fitting, 1 claimed (not fitting yet)');
    expect(screen.getAllByTestId('job-row').map((r) => r.dataset.claimed ?? 'no')).toEqual(['no', 'true']);
  });

  it('shows every running job as running when the API does not say how many wait (a filtered view, an older API)', () => {
    render(<QueueBadge summary={{ ...summary, running: 3, waitingForThread: null }} onOpen={vi.fn()} />);
    expect(screen.getByTestId('queue-badge').textContent).toMatch(/3 running2 pending/);
    expect(screen.queryByTitle('Claimed by a worker, not fitting yet (reading its input or waiting for a thread)')).toBeNull();
  });

  it('says no worker is running and what to run when the API counts no live worker while jobs wait (a SIGKILLed worker)', () => {
    // Its two jobs stay running at 0% until a live worker rescues them; the badge read "0% · estimating…".
    const stranded: JobSummary = { ...summary, pending: 1, running: 2, etaSeconds: 124, liveWorkers: 0 };
    render(<OptimizationQueuePopup jobs={[job('running', 'GARDEN-1686', { progress: 0 }), job('running', 'R2', { progress: 0 }), job('pending', 'P1')]}
      summary={stranded} total={3} nextCursor={null} loadPage={vi.fn()}
      onCancel={vi.fn()} onRetry={vi.fn()} onRetryAllFailed={vi.fn()} onClearCompleted={vi.fn()} onReset={vi.fn()} onCancelActive={vi.fn()} onReload={vi.fn()} onClose={vi.fn()} />);
    const notice = screen.getByTestId('queue-no-worker').textContent!;
    expect(notice).toMatch(/^No worker is taking jobs: 3 jobs wait\./);
    expect(notice).toMatch(/node server\.js worker/);
    expect(screen.getByTestId('queue-progress-label').textContent).toMatch(/No worker is taking jobs: 3 jobs wait$/);
    cleanup();
    render(<QueueBadge summary={stranded} onOpen={vi.fn()} />);
    expect(screen.getByTestId('queue-progress-label').textContent).toMatch(/· No worker is taking jobs: 3 jobs wait$/);
    expect(screen.getByTestId('queue-badge').getAttribute('title')).toMatch(/skucast start/);
    cleanup();
    // Only a stopping worker left: the pending job waits for a worker; the running ones are finishing.
    const stopping: JobSummary = { ...stranded, liveWorkers: 0, drainingWorkers: 1 };
    render(<OptimizationQueuePopup jobs={[job('running', 'GARDEN-1686', { progress: 40 }), job('pending', 'P1')]}
      summary={stopping} total={3} nextCursor={null} loadPage={vi.fn()}
      onCancel={vi.fn()} onRetry={vi.fn()} onRetryAllFailed={vi.fn()} onClearCompleted={vi.fn()} onReset={vi.fn()} onCancelActive={vi.fn()} onReload={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByTestId('queue-no-worker').textContent).toMatch(/^Workers are stopping: 1 job waits for a worker\..*finish on the stopping workers/);
    cleanup();
    render(<QueueBadge summary={stopping} onOpen={vi.fn()} />);
    expect(screen.getByTestId('queue-badge').getAttribute('title')).toMatch(/^Workers are stopping: 1 job waits for a worker\. Start one/);
    cleanup();
    // A live worker, or an API that does not say: as before.
    for (const liveWorkers of [1, null, undefined]) {
      render(<QueueBadge summary={{ ...stranded, liveWorkers }} onOpen={vi.fn()} />);
      expect(screen.getByTestId('queue-progress-label').textContent).not.toMatch(/No worker/);
      expect(screen.getByTestId('queue-badge').getAttribute('title')).toBeNull();
      cleanup();
    }
  });
});
