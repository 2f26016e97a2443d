// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { setFormatLocale } from '../format.js';
import { AccuracyView } from './AccuracyView.js';

/** "Name this snapshot" in "How did we do": names the snapshot scored, and the picker shows it by name. */
const createdAt = Date.UTC(2024, 11, 1, 9, 30);
const snapshot = { id: 3, datasetId: 'd1', mark: 10, cause: 'import', createdAt, historyEnd: '2024-12-01', forecastStart: '2025-01-01', forecastEnd: '2025-12-01', skuCount: 2, skusWithForecast: 2, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null as string | null };
const figures = (wape: number) => ({ wape, bias: -2.5, mae: 4, points: 6, coverage80: 83.3, coverage95: 100 });
const accuracyOf = (s: typeof snapshot) => ({
  snapshot: s, actuals: null, portfolio: figures(12.5), byStep: [{ step: 1, ...figures(10) }], total: 0,
  summed: { wape: 4.2, bias: -2.5, points: 3 }, by: null, attributes: [], groups: [], items: [],
});

afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

/** "How did we do" for dataset d1 on the given API. */
function renderAccuracy(fetch: FetchLike): void {
  render(
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={new QueryClient()}>
        <AccuracyView datasetId="d1" onJobsSubmitted={vi.fn()} />
      </QueryClientProvider>
    </ApiProvider>,
  );
}

describe('SnapshotNameForm in AccuracyView', () => {
  it('names the snapshot being scored with PATCH, and the picker then shows "#3 · S&OP Dec (Dec 1, 2024)"', async () => {
    setFormatLocale('en-US');
    let kept = { ...snapshot };
    const patches: unknown[] = [];
    const fetch: FetchLike = async (url, init) => {
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url === '/api/datasets/d1/snapshots/3' && init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body)) as { name: string | null };
        patches.push(body);
        kept = { ...kept, name: body.name };
        return json({ snapshot: kept });
      }
      if (url.startsWith('/api/datasets/d1/accuracy')) return json(accuracyOf(kept));
      if (url.endsWith('/snapshots')) return json({ snapshots: [kept] });
      return new Response('{}', { status: 404 });
    };
    renderAccuracy(fetch);
    const picker = await screen.findByRole('combobox', { name: 'Snapshot' });
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(2));
    expect(within(picker).getAllByRole('option')[1].textContent).toMatch(/^#3 · .* · import · from Jan 1, 2025$/);
    const input = await screen.findByRole('textbox', { name: 'Name this snapshot' });
    const save = screen.getByRole('button', { name: 'Save name' });
    expect(save).toHaveProperty('disabled', true);
    fireEvent.change(input, { target: { value: '  S&OP Dec ' } });
    fireEvent.click(save);
    await waitFor(() => expect(within(picker).getAllByRole('option')[1].textContent).toBe('#3 · S&OP Dec (Dec 1, 2024) · from Jan 1, 2025'));
    expect(patches).toEqual([{ name: 'S&OP Dec' }]);
    expect((screen.getByRole('textbox', { name: 'Name this snapshot' }) as HTMLInputElement).value).toBe('S&OP Dec');
    // The form stays the same element across the save (focus kept) and says it saved.
    expect(screen.getByRole('textbox', { name: 'Name this snapshot' })).toBe(input);
    expect(screen.getByRole('status').textContent).toBe('Saved: snapshot #3 is named “S&OP Dec”');
  });

  it('says the API\'s refusal and leaves the picker as it was', async () => {
    const fetch: FetchLike = async (url, init) => {
      const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      if (init?.method === 'PATCH') return json({ error: 'a snapshot name is at most 120 characters', code: 'invalid_request', details: [{ path: 'name', message: 'a snapshot name is at most 120 characters' }] }, 400);
      if (url.startsWith('/api/datasets/d1/accuracy')) return json(accuracyOf(snapshot));
      if (url.endsWith('/snapshots')) return json({ snapshots: [snapshot] });
      return new Response('{}', { status: 404 });
    };
    renderAccuracy(fetch);
    const input = await screen.findByRole('textbox', { name: 'Name this snapshot' });
    fireEvent.change(input, { target: { value: 'too long' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('at most 120 characters');
    // The refusal is the input's description, so a screen reader says it with the field.
    expect(screen.getByRole('textbox', { name: 'Name this snapshot' }).getAttribute('aria-describedby')).toBe(alert.id);
    expect(within(screen.getByRole('combobox', { name: 'Snapshot' })).getAllByRole('option')[1].textContent).not.toContain('too long');
  });
});
