// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { DeleteDataset } from './DeleteDataset.js';

afterEach(cleanup);

function mount(fetch: FetchLike, onDeleted = vi.fn()) {
  render(
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>
        <DeleteDataset dataset={{ id: 'd1', name: 'Trial upload', skuCount: 3 }} onDeleted={onDeleted} />
      </QueryClientProvider>
    </ApiProvider>,
  );
  return onDeleted;
}

describe('DeleteDataset', () => {
  it('asks first, naming what goes, with the focus on "Keep it"; Keep it deletes nothing (was: no way to delete a dataset in the web app)', () => {
    const fetch = vi.fn<FetchLike>(async () => new Response('{}', { status: 200 }));
    mount(fetch);
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Trial upload”…' }));
    expect(screen.getByTestId('delete-confirm').textContent).toMatch(/“Trial upload” and its 3 SKUs go: their history and edits, forecasts, snapshots and actuals\. .*cannot be undone/);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep it' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByTestId('delete-confirm')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete “Trial upload”…' }));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('deletes with DELETE /api/datasets/:id and tells the page; a refusal is shown and the confirmation kept', async () => {
    let answer = new Response(JSON.stringify({ error: 'the database is unavailable', details: [] }), { status: 503 });
    const calls: Array<[string, string | undefined]> = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push([String(url), init?.method]);
      return answer;
    };
    const onDeleted = mount(fetch);
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Trial upload”…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete dataset' }));
    expect(await screen.findByText('the database is unavailable')).toBeTruthy();
    expect(onDeleted).not.toHaveBeenCalled();
    expect(screen.getByTestId('delete-confirm')).toBeTruthy();
    answer = new Response(JSON.stringify({ deleted: true }), { status: 200 });
    fireEvent.click(screen.getByRole('button', { name: 'Delete dataset' }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith({ id: 'd1', name: 'Trial upload' }));
    expect(calls).toEqual([['/api/datasets/d1', 'DELETE'], ['/api/datasets/d1', 'DELETE']]);
  });
});
