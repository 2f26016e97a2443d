// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import type { Dataset } from '../api/types.js';
import { SettingsPanel } from './SettingsPanel.js';

const dataset: Dataset = {
  id: 'd1',
  name: 'Shop',
  frequency: 'monthly',
  settings: { horizon: 12, holdout: 6, models: ['naive', 'ets'], method: 'grid', metric: 'mae', intervalLevels: [80, 95], fillGaps: 'zero' },
  report: { rows: 0, skus: 0, dateRange: null, frequency: 'monthly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [] },
  skuCount: 3,
  createdAt: 1,
  updatedAt: 1,
};

const models = {
  models: [
    { id: 'naive', name: 'Naive', description: 'last value', family: 'benchmark', parameters: [], seasonal: false, intermittent: false },
    { id: 'ets', name: 'ETS', description: 'state space', family: 'ets', parameters: [], seasonal: true, intermittent: false },
    { id: 'theta', name: 'Theta', description: 'theta method', family: 'theta', parameters: [], seasonal: true, intermittent: false },
  ],
  methods: [{ id: 'grid', name: 'Grid search', description: '' }, { id: 'mle', name: 'Maximum likelihood', description: '' }],
  defaults: { models: ['naive'], method: 'grid', metric: 'mae', horizon: 12, holdout: 6, intervalLevels: [80, 95] },
};

afterEach(cleanup);

describe('SettingsPanel', () => {
  it('a failed model list says "Could not load the models" with a Retry that asks again', async () => {
    let fail = true;
    const fetch: FetchLike = async (url) => {
      if (url === '/api/models') return fail ? new Response(JSON.stringify({ error: 'the API is restarting', details: [] }), { status: 503 }) : new Response(JSON.stringify(models), { status: 200 });
      return new Response('{}', { status: 200 });
    };
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <SettingsPanel dataset={dataset} onJobsSubmitted={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load the models: the API is restarting/);
    fail = false;
    fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
    await screen.findByText('Theta');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a dataset list that failed says "Could not load datasets" with a Retry that asks for the list again', () => {
    const retry = vi.fn();
    render(
      <ApiProvider client={createApiClient({ fetch: async () => new Response('{}', { status: 200 }), getToken: () => null })}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <SettingsPanel dataset={null} datasetsError={{ message: 'database unreachable', retry, retrying: false }} onJobsSubmitted={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    const failed = screen.getByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load datasets: database unreachable/);
    fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('lists the models from GET /api/models and PATCHes the changed settings', async () => {
    const patches: unknown[] = [];
    const fetch: FetchLike = async (url, init = {}) => {
      if (url === '/api/models') return new Response(JSON.stringify(models), { status: 200 });
      if (url === '/api/datasets/d1/settings' && init.method === 'PATCH') {
        patches.push(JSON.parse(init.body as string));
        return new Response(JSON.stringify({ settings: dataset.settings, jobsCreated: 9, jobsCancelled: 6, warnings: [] }), { status: 200 });
      }
      return new Response('{}', { status: 200 });
    };
    const onJobsSubmitted = vi.fn();
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient()}>
          <SettingsPanel dataset={dataset} onJobsSubmitted={onJobsSubmitted} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByText('Theta');
    fireEvent.click(screen.getByRole('checkbox', { name: /Theta/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Naive/ }));
    fireEvent.change(screen.getByLabelText('Horizon (periods)'), { target: { value: '18' } });
    // The metric ranks the models the default mix draws on: it picks no "best" one (was: "Metric that picks the best model").
    const metric = screen.getByLabelText('Metric that ranks the models');
    expect(metric.closest('label')!.getAttribute('title')).toMatch(/the 3 lowest join the ensemble \(kept at 60%\)/);
    // And what it does where there is no cross-validation (was: unsaid).
    expect(metric.closest('label')!.getAttribute('title')).toMatch(/Without cross-validation the metric picks the single model with the lowest holdout error/);
    expect(document.body.textContent).not.toMatch(/best/i);
    fireEvent.change(metric, { target: { value: 'mase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await screen.findByText(/9 jobs queued, 6 superseded/);
    expect(patches).toEqual([{ horizon: 18, holdout: 6, models: ['ets', 'theta'], method: 'grid', metric: 'mase' }]);
    await waitFor(() => expect(onJobsSubmitted).toHaveBeenCalledTimes(1));
  });
  async function saveAnswering(status: number, answer: unknown) {
    const fetch: FetchLike = async (url, init = {}) => {
      if (url === '/api/models') return new Response(JSON.stringify(models), { status: 200 });
      if (url === '/api/datasets/d1/settings' && init.method === 'PATCH') return new Response(JSON.stringify(answer), { status });
      return new Response('{}', { status: 200 });
    };
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient()}>
          <SettingsPanel dataset={dataset} onJobsSubmitted={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByText('Theta');
    fireEvent.change(screen.getByLabelText('Holdout (periods)'), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
  }

  it('warns, while the holdout is 0, that it turns off cross-validation: the first enabled model alone, uncalibrated intervals, nothing scored (was: accepted silently)', async () => {
    render(
      <ApiProvider client={createApiClient({ fetch: async (url) => new Response(url === '/api/models' ? JSON.stringify(models) : '{}', { status: 200 }), getToken: () => null })}>
        <QueryClientProvider client={new QueryClient()}>
          <SettingsPanel dataset={dataset} onJobsSubmitted={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByText('Theta');
    expect(screen.queryByTestId('holdout-zero')).toBeNull();
    fireEvent.change(screen.getByLabelText('Holdout (periods)'), { target: { value: '0' } });
    expect(screen.getByTestId('holdout-zero').textContent).toBe('Holdout 0 turns off cross-validation: the forecast shown is Naive (the first enabled model) alone (not the mix), its intervals are not calibrated, and nothing is scored.');
    fireEvent.change(screen.getByLabelText('Holdout (periods)'), { target: { value: '3' } });
    expect(screen.queryByTestId('holdout-zero')).toBeNull();
  });

  it('says how many SKUs were too short for the new settings and keep their previous forecast', async () => {
    await saveAnswering(200, { settings: { ...dataset.settings, holdout: 20 }, batchId: 'b1', jobsCreated: 2, jobsCancelled: 6, jobsReused: 0, jobsSkipped: 4, skusSkipped: 2, warnings: [] });
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('2 jobs queued');
    expect(status.textContent).toContain('2 SKUs are too short for these settings: they keep their previous forecast, if any.');
  });

  // The API says only the holdout-0 one today; another stands in for any it adds, which the client note does not say.
  const holdoutZero = 'Holdout 0 turns off cross-validation: the forecast shown is naive (the first enabled model) alone (not the mix), its intervals are not calibrated, and nothing is scored.';
  const other = 'Horizon 12 is longer than the history of 2 SKUs.';
  const savedAnswer = (settings: Dataset['settings']) => ({ settings, batchId: 'b1', jobsCreated: 2, jobsCancelled: 0, jobsReused: 0, jobsSkipped: 0, skusSkipped: 0, warnings: [holdoutZero, other] });

  /** Renders the panel on `dataset`; each settings PATCH waits for the test to answer it (`answers`, in order). */
  function renderHeldSaves(shown: Dataset = dataset) {
    const answers: Array<(r: Response) => void> = [];
    const patched: string[] = [];
    const fetch: FetchLike = async (url, init = {}) => {
      if (url === '/api/models') return new Response(JSON.stringify(models), { status: 200 });
      if (init.method === 'PATCH') {
        patched.push(url);
        return new Promise<Response>((resolve) => answers.push(resolve));
      }
      return new Response('{}', { status: 200 });
    };
    const queryClient = new QueryClient();
    const ui = (d: Dataset) => (
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={queryClient}>
          <SettingsPanel dataset={d} onJobsSubmitted={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>
    );
    const { rerender } = render(ui(shown));
    return { answers, patched, queryClient, show: (d: Dataset) => rerender(ui(d)) };
  }

  it("shows the API's warnings after a save inside its status, until the next edit or save; the holdout-0 note stays the client's, naming the model (was: a second status, and the API's sentence naming it by id)", async () => {
    const { answers } = renderHeldSaves();
    await screen.findByText('Theta');
    fireEvent.change(screen.getByLabelText('Holdout (periods)'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await waitFor(() => expect(answers).toHaveLength(1));
    answers[0]!(new Response(JSON.stringify(savedAnswer({ ...dataset.settings, holdout: 0 })), { status: 200 }));
    const shown = await screen.findByTestId('saved-warnings');
    // One polite region says the save and its warnings together.
    expect(screen.getAllByRole('status')).toHaveLength(1);
    expect(screen.getByRole('status').contains(shown)).toBe(true);
    expect(screen.getByRole('status').textContent).toMatch(/^Saved\. 2 jobs queued/);
    expect(shown.textContent).toBe(other);
    expect(screen.getByTestId('holdout-zero').textContent).toMatch(/the forecast shown is Naive \(the first enabled model\)/);
    // A save: gone while it is asked, not left over from the one before; back with its answer.
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await waitFor(() => expect(answers).toHaveLength(2));
    expect(screen.queryByTestId('saved-warnings')).toBeNull();
    answers[1]!(new Response(JSON.stringify(savedAnswer({ ...dataset.settings, holdout: 0 })), { status: 200 }));
    expect((await screen.findByTestId('saved-warnings')).textContent).toBe(other);
    // An edit: they were about the settings as saved.
    fireEvent.change(screen.getByLabelText('Horizon (periods)'), { target: { value: '18' } });
    expect(screen.queryByTestId('saved-warnings')).toBeNull();
    expect(screen.getByTestId('holdout-zero')).toBeTruthy();
  });

  it("an edit made while the save is in flight: the answer's warnings are not shown under it (was: under holdout 3, for holdout 0)", async () => {
    const { answers } = renderHeldSaves();
    await screen.findByText('Theta');
    const holdout = screen.getByLabelText('Holdout (periods)');
    fireEvent.change(holdout, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await waitFor(() => expect(answers).toHaveLength(1));
    fireEvent.change(holdout, { target: { value: '3' } });
    answers[0]!(new Response(JSON.stringify(savedAnswer({ ...dataset.settings, holdout: 0 })), { status: 200 }));
    await screen.findByText(/2 jobs queued/);
    expect(screen.queryByTestId('saved-warnings')).toBeNull();
    // Back to what was saved: they are about this form again.
    fireEvent.change(holdout, { target: { value: '0' } });
    expect(screen.getByTestId('saved-warnings').textContent).toBe(other);
  });

  it("an edit made while the save is in flight survives the refetch of the saved settings, and the form says it is unsaved (was: overwritten by the saved value)", async () => {
    const { answers, show } = renderHeldSaves();
    await screen.findByText('Theta');
    const holdout = screen.getByLabelText('Holdout (periods)') as HTMLInputElement;
    expect(screen.queryByTestId('unsaved-changes')).toBeNull();
    fireEvent.change(holdout, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await waitFor(() => expect(answers).toHaveLength(1));
    fireEvent.change(holdout, { target: { value: '3' } });
    const savedSettings = { ...dataset.settings, holdout: 0 };
    answers[0]!(new Response(JSON.stringify(savedAnswer(savedSettings)), { status: 200 }));
    await screen.findByText(/2 jobs queued/);
    // The dataset list is refetched after the save: it brings the saved holdout 0.
    show({ ...dataset, settings: savedSettings, updatedAt: 2 });
    expect(holdout.value).toBe('3');
    expect(screen.getByTestId('unsaved-changes').textContent).toBe("Unsaved changes: save them, or Revert to the dataset's settings.");
    expect(screen.getByRole('status').textContent).toMatch(/The changes made since are not saved yet\.$/);
    expect((screen.getByRole('button', { name: 'Save and re-optimize' }) as HTMLButtonElement).disabled).toBe(false);
    // Revert goes to the settings as saved, and the form is clean.
    fireEvent.click(screen.getByRole('button', { name: 'Revert' }));
    expect(holdout.value).toBe('0');
    expect(screen.queryByTestId('unsaved-changes')).toBeNull();
    expect(screen.getByRole('status').textContent).not.toMatch(/not saved/);
  });

  it('new settings of the dataset replace a form with no edit in it (the values just saved, or the untouched ones)', async () => {
    const { answers, show } = renderHeldSaves();
    await screen.findByText('Theta');
    const holdout = screen.getByLabelText('Holdout (periods)') as HTMLInputElement;
    fireEvent.change(holdout, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await waitFor(() => expect(answers).toHaveLength(1));
    // The API keeps the models in its own order: the form takes the saved settings, not "unsaved".
    const savedSettings = { ...dataset.settings, holdout: 0, models: ['ets', 'naive'] };
    answers[0]!(new Response(JSON.stringify(savedAnswer(savedSettings)), { status: 200 }));
    await screen.findByText(/2 jobs queued/);
    show({ ...dataset, settings: savedSettings });
    expect(holdout.value).toBe('0');
    expect(screen.queryByTestId('unsaved-changes')).toBeNull();
    // Changed elsewhere (another tab) while the form is untouched: the form follows.
    show({ ...dataset, settings: { ...savedSettings, horizon: 24 } });
    expect((screen.getByLabelText('Horizon (periods)') as HTMLInputElement).value).toBe('24');
    expect(screen.queryByTestId('unsaved-changes')).toBeNull();
  });

  it("another dataset picked while a save is in flight: the answer is not said on its form, and the saved dataset's settings are the ones asked again (was: d1's warnings under d2's, and d2 invalidated)", async () => {
    const d2: Dataset = { ...dataset, id: 'd2', name: 'Other shop', settings: { ...dataset.settings, holdout: 4 } };
    const { answers, patched, queryClient, show } = renderHeldSaves();
    queryClient.setQueryData(['dataset', 'd1'], dataset);
    queryClient.setQueryData(['dataset', 'd2'], d2);
    await screen.findByText('Theta');
    fireEvent.change(screen.getByLabelText('Holdout (periods)'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and re-optimize' }));
    await waitFor(() => expect(answers).toHaveLength(1));
    show(d2);
    expect((screen.getByLabelText('Holdout (periods)') as HTMLInputElement).value).toBe('4');
    answers[0]!(new Response(JSON.stringify(savedAnswer({ ...dataset.settings, holdout: 0 })), { status: 200 }));
    await waitFor(() => expect(queryClient.getQueryState(['dataset', 'd1'])?.isInvalidated).toBe(true));
    expect(patched).toEqual(['/api/datasets/d1/settings']);
    expect(queryClient.getQueryState(['dataset', 'd2'])?.isInvalidated).toBe(false);
    expect(screen.queryByTestId('saved-warnings')).toBeNull();
    expect(screen.queryByText(/Saved\./)).toBeNull();
  });

  it('shows the refusal of settings that would leave no SKU forecastable, naming the setting', async () => {
    await saveAnswering(400, { error: 'invalid holdout: must be at most 26 for this dataset', details: [{ path: 'holdout', message: 'must be at most 26 for this dataset' }] });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('must be at most 26');
    expect(screen.queryByRole('status')).toBeNull();
  });
});
