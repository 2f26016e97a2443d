// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dataset, Job, JobSummary } from '../api/types.js';
import { LoadError } from './LoadError.js';
import { MainLayout } from './MainLayout.js';

afterEach(cleanup);

const running: Job = {
  id: 1, batchId: 'b', datasetId: 'd', sku: 'GARDEN-1686', modelId: 'damped_trend', method: 'grid', reason: 'settings_change', priority: 2,
  status: 'running', progress: 0, attempts: 1, maxAttempts: 3, error: null, createdAt: 1, updatedAt: 1, startedAt: 1, finishedAt: null, workerId: 'w',
};
const summary: JobSummary = { pending: 0, running: 2, completed: 10, failed: 0, cancelled: 0, isOptimizing: true, progress: 80, etaSeconds: 124 };

function layout(s: JobSummary, statusLoaded = true, statusError: string | null = null) {
  render(
    <MainLayout jobs={[running]} summary={s} apiDown={false} statusError={statusError} statusLoaded={statusLoaded} view="forecasts" onNavigate={vi.fn()}
      datasets={[]} datasetId={null} onSelectDataset={vi.fn()} onOpenQueue={vi.fn()}>
      <p>page</p>
    </MainLayout>,
  );
}

describe('MainLayout', () => {
  it('says the app is made for 1024 px and up (shown under that width only: styles.css), rather than pretend at phone width', () => {
    layout(summary);
    const note = screen.getByTestId('narrow-note');
    expect(note.textContent).toBe('Skucast is made for screens 1024 px wide or more; some pages scroll sideways here.');
    expect(note.className).toBe('narrow-note');
  });

  it('the pages are links to their addresses (open in a new tab, copy), followed in place on a plain click (was: buttons)', () => {
    const onNavigate = vi.fn();
    render(
      <MainLayout jobs={[]} summary={summary} apiDown={false} statusError={null} view="forecasts" onNavigate={onNavigate} hrefOf={(v) => `/datasets/d1/${v}`}
        datasets={[]} datasetId="d1" onSelectDataset={vi.fn()} onOpenQueue={vi.fn()}>
        <p>page</p>
      </MainLayout>,
    );
    const nav = screen.getByRole('navigation', { name: 'Pages' });
    expect(within(nav).queryAllByRole('button')).toEqual([]);
    const settings = within(nav).getByRole('link', { name: 'Settings' });
    expect(settings.getAttribute('href')).toBe('/datasets/d1/settings');
    // Whether the app left the click to the browser, read after React's handler; then stopped here
    // (jsdom cannot load a page).
    const leftToBrowser: boolean[] = [];
    const record = (e: Event) => {
      leftToBrowser.push(!e.defaultPrevented);
      e.preventDefault();
    };
    document.addEventListener('click', record);
    try {
      fireEvent.click(settings);
      expect(onNavigate).toHaveBeenCalledWith('settings');
      onNavigate.mockClear();
      fireEvent.click(settings, { ctrlKey: true }); // a new tab
      fireEvent.click(settings, { button: 1 });
      expect(onNavigate).not.toHaveBeenCalled();
      expect(leftToBrowser).toEqual([false, true, true]);
    } finally {
      document.removeEventListener('click', record);
    }
  });

  it('names the running job while a worker is alive', () => {
    layout({ ...summary, liveWorkers: 1 });
    expect(screen.getByText(/Optimizing/).textContent).toBe('Optimizing GARDEN-1686 · damped_trend (0%) and 1 more');
    expect(screen.queryByTestId('no-worker-banner')).toBeNull();
  });

  it('says no worker is running, and what to run, instead of "Optimizing … (0%)" when none is alive (a killed worker\'s jobs)', () => {
    layout({ ...summary, liveWorkers: 0 });
    expect(screen.queryByText(/Optimizing/)).toBeNull();
    expect(screen.getByTestId('no-worker-banner').textContent).toMatch(/^No worker is taking jobs: 2 jobs wait\. Start one .*node server\.js worker/);
  });

  it('while only stopping workers are left, says the pending jobs wait for a worker, and still names the job a stopping one finishes', () => {
    // The stopping worker finishes its running jobs but claims none of the pending ones: the page said nothing.
    layout({ ...summary, pending: 3, liveWorkers: 0, drainingWorkers: 1 });
    expect(screen.getByTestId('no-worker-banner').textContent).toMatch(/^Workers are stopping: 3 jobs wait for a worker\. Start one .*node server\.js worker/);
    expect(screen.getByText(/Optimizing/).textContent).toMatch(/^Optimizing GARDEN-1686/);
    cleanup();
    // Nothing pending: the stopping worker's running jobs move, nothing to say.
    layout({ ...summary, liveWorkers: 0, drainingWorkers: 1 });
    expect(screen.queryByTestId('no-worker-banner')).toBeNull();
  });

  it('says skucast start restarts its own', () => {
    layout({ ...summary, liveWorkers: 0, drainingWorkers: 0 });
    expect(screen.getByTestId('no-worker-banner').textContent).toMatch(/Under skucast start, a worker that exited is restarted on its own/);
  });

  it('the queue badge shows a placeholder until the first status poll answers, not counts of 0 (was: "0 running 0 pending 0 done · Idle")', () => {
    const empty: JobSummary = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, isOptimizing: false, progress: 0, etaSeconds: null };
    layout(empty, false);
    const badge = screen.getByTestId('queue-badge');
    expect(badge.textContent).toBe('Queue…loading');
    expect(screen.getByTestId('queue-badge-unknown').getAttribute('title')).toBe("Waiting for the queue's first answer");
    expect(screen.queryByTestId('queue-progress-label')).toBeNull();
    cleanup();
    // Answered: a queue that is empty says so.
    layout(empty, true);
    expect(screen.getByTestId('queue-badge').textContent).toBe('Queue0 running0 pending0 done');
    expect(screen.getByTestId('queue-progress-label').textContent).toBe('Idle');
  });

  it('the queue badge says "unavailable", with the reason in its title, once the first status poll failed (was: "loading" for ever after a 500 or a 401)', () => {
    const empty: JobSummary = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, isOptimizing: false, progress: 0, etaSeconds: null };
    layout(empty, false, 'the API answered 500: internal error');
    expect(screen.getByTestId('queue-badge').textContent).toBe('Queueunavailable');
    expect(screen.getByTestId('queue-badge-unknown').getAttribute('title')).toBe('The queue could not be read: the API answered 500: internal error');
    cleanup();
    // A later poll failing after one answered changes nothing: the counts it brought stay.
    layout(empty, true, 'the API answered 500: internal error');
    expect(screen.getByTestId('queue-badge').textContent).toBe('Queue0 running0 pending0 done');
  });

  it('while the API-down banner shows, the views\' "Could not load …" are not alerts too; one still failing is said once the banner goes away (was: the outage announced once per view)', () => {
    const failure = { message: 'the API cannot be reached' };
    const page = (apiDown: boolean, retrying = false) => (
      <MainLayout jobs={[]} summary={summary} apiDown={apiDown} statusError="the API cannot be reached" view="forecasts" onNavigate={vi.fn()}
        datasets={[]} datasetId={null} onSelectDataset={vi.fn()} onOpenQueue={vi.fn()}>
        <LoadError what="SKUs" error={failure} onRetry={vi.fn()} retrying={retrying} />
        <LoadError what="totals" error={failure} onRetry={vi.fn()} retrying={retrying} />
      </MainLayout>
    );
    const { rerender } = render(page(true));
    // The banner alone is an alert; the views still say what they could not load, and offer their Retry.
    expect(screen.getAllByRole('alert')).toEqual([screen.getByTestId('api-down-banner')]);
    expect(screen.getAllByTestId('load-error-message').map((m) => m.textContent)).toEqual(['Could not load SKUs: the API cannot be reached', 'Could not load totals: the API cannot be reached']);
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(2);
    // The API is back and the page asks the failed reads again: nothing said while they are asked.
    rerender(page(false, true));
    expect(screen.queryByTestId('api-down-banner')).toBeNull();
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    // They still fail: each view says so now, once.
    rerender(page(false));
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Could not load SKUs: the API cannot be reached', 'Could not load totals: the API cannot be reached']);
  });

  it('a view that still fails when the banner goes away with no retry in flight says so at once', () => {
    const page = (apiDown: boolean) => (
      <MainLayout jobs={[]} summary={summary} apiDown={apiDown} statusError={null} view="forecasts" onNavigate={vi.fn()}
        datasets={[]} datasetId={null} onSelectDataset={vi.fn()} onOpenQueue={vi.fn()}>
        <LoadError what="SKUs" error={{ message: 'the API answered 500' }} onRetry={vi.fn()} />
      </MainLayout>
    );
    const { rerender } = render(page(true));
    const quiet = screen.getByText(/^Could not load SKUs/);
    expect(quiet.getAttribute('role')).toBeNull();
    rerender(page(false));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Could not load SKUs: the API answered 500');
    // Mounted anew, so a screen reader reads it (a role added to a node already there may not be).
    expect(alert).not.toBe(quiet);
  });

  it('a dataset list that failed is an error with a Retry in the picker, and the focus goes to the picker when a Retry brings the list (was: an option of a disabled select, no Retry)', () => {
    const retry = vi.fn();
    const shop = { id: 'd1', name: 'Shop', skuCount: 3 } as Dataset;
    const page = (datasets: Dataset[], failed: { message: string; retrying: boolean } | null) => (
      <MainLayout jobs={[]} summary={summary} apiDown={false} statusError={null} view="upload" onNavigate={vi.fn()}
        datasets={datasets} datasetsError={failed && { ...failed, retry }} datasetId={null} onSelectDataset={vi.fn()} onOpenQueue={vi.fn()}>
        <p>page</p>
      </MainLayout>
    );
    const { rerender } = render(page([], { message: 'database unreachable', retrying: false }));
    expect(screen.queryByRole('combobox', { name: 'Dataset' })).toBeNull();
    const picker = screen.getByTestId('dataset-picker-error');
    expect(within(picker).getByTestId('load-error-message').textContent).toBe('Could not load datasets: database unreachable');
    // Not a second alert beside the page's own "Could not load datasets".
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    const button = within(picker).getByRole('button', { name: 'Retry' });
    // Reached with Tab, the button says what it asks again.
    expect(document.getElementById(button.getAttribute('aria-describedby')!)!.textContent).toBe('Could not load datasets: database unreachable');
    button.focus();
    fireEvent.click(button);
    expect(retry).toHaveBeenCalledTimes(1);
    rerender(page([], { message: 'database unreachable', retrying: true }));
    expect(document.activeElement).toBe(button);
    expect(button.textContent).toBe('Retrying…');
    // Still failing: the focus stays on the Retry.
    rerender(page([], { message: 'database unreachable', retrying: false }));
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    rerender(page([], { message: 'database unreachable', retrying: true }));
    // The list arrives: its picker takes the focus the vanished Retry had.
    rerender(page([shop], null));
    expect(screen.queryByTestId('dataset-picker-error')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Dataset' }));
  });

  it('a Retry in the picker that brings an empty list hands the focus to the page (the picker is disabled)', () => {
    const page = (failed: { message: string; retrying: boolean } | null) => (
      <MainLayout jobs={[]} summary={summary} apiDown={false} statusError={null} view="upload" onNavigate={vi.fn()}
        datasets={[]} datasetsError={failed && { ...failed, retry: vi.fn() }} datasetId={null} onSelectDataset={vi.fn()} onOpenQueue={vi.fn()}>
        <p>page</p>
      </MainLayout>
    );
    const { rerender } = render(page({ message: 'database unreachable', retrying: false }));
    const button = screen.getByRole('button', { name: 'Retry' });
    button.focus();
    fireEvent.click(button);
    rerender(page(null));
    expect((screen.getByRole('combobox', { name: 'Dataset' }) as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByRole('combobox', { name: 'Dataset' }).textContent).toBe('No dataset yet');
    expect(document.activeElement).toBe(document.getElementById('main'));
  });
});
