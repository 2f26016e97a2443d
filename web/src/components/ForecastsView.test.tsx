// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { ForecastsView } from './ForecastsView.js';

afterEach(cleanup);

describe('ForecastsView', () => {
  it('shows the portfolio bias with its unit, a percentage like the WAPE beside it', async () => {
    const fetch: FetchLike = async (url) => {
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url.startsWith('/api/datasets/d1/forecasts')) return json({ portfolio: { wape: 27.7, bias: -3.09, skus: 2, skusWithForecast: 2 }, total: 2, items: [] });
      if (url.startsWith('/api/datasets/d1/skus')) return json({ total: 0, items: [] });
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ForecastsView datasetId="d1" sku={null} onSelectSku={vi.fn()} datasetsLoading={false} jobs={[]} handlers={{} as DataHandlers} onUpload={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByText('27.7%');
    expect(screen.getByTestId('portfolio-bias').textContent).toBe('-3.1%');
  });
});
