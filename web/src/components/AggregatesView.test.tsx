// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { AggregatesView } from './AggregatesView.js';

// The chart (uPlot on a canvas) is not what this test looks at.
vi.mock('./ForecastChart.js', () => ({ ForecastChart: () => null }));

const history = { dates: ['2024-12-01'], original: [100], cleaned: [100] };
const forecast = (mean: number) => ({ dates: ['2025-01-01'], mean: [mean], lower80: [mean - 10], upper80: [mean + 10], lower95: [mean - 20], upper95: [mean + 20] });
const group = (value: string | null, skus: number, skusWithForecast: number, mean: number) => ({
  value, skus, skusWithForecast, correlation: 0.1, history, forecast: forecast(mean),
});
const aggregates = {
  by: 'store', attributes: ['category', 'store'], bands: 'correlated',
  total: group(null, 21, 19, 4683),
  groups: [group('Central', 10, 10, 2346), group('North', 11, 9, 2337)],
};

afterEach(cleanup);

describe('AggregatesView', () => {
  it("says when a group's next period sums fewer SKUs than it has (too short, new): the number is not the store's", async () => {
    const fetch: FetchLike = async (url) => {
      if (url.startsWith('/api/datasets/d1/aggregates')) return new Response(JSON.stringify(aggregates), { status: 200 });
      return new Response('{}', { status: 404 });
    };
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient()}>
          <AggregatesView datasetId="d1" />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByTestId('aggregate-chart');
    const text = (value: string) => document.querySelector(`[data-testid=aggregate-group][data-value="${value}"]`)!.textContent;
    expect(text('Central')).toBe('Central · 10 SKUs · next period 2,346');
    expect(text('North')).toBe('North · 11 SKUs · next period 2,337 (9 SKUs with a forecast)');
  });
});
